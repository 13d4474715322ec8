import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { AppRoutes } from './routes';
import { ApiError } from './api/client';
import { startSync } from './offline/sync';

// Ant Design, dayjs and the theme load with the first screen behind the sign-in (shell/AntShell): the first route
// a phone opens carries only React, the router, the query cache and the API client.
const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A refusal (4xx) does not get better by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
    },
  },
});

startSync(queries);
if ('serviceWorker' in navigator && import.meta.env.PROD) void navigator.serviceWorker.register('/sw.js');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <AppRoutes />
    </QueryClientProvider>
  </StrictMode>,
);
