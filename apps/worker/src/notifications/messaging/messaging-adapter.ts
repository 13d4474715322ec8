import type { MessagingAdapterName, MessagingPort } from '@duban/application';
import { DevLogMessaging, type MessageLog } from './dev-log-messaging';

/**
 * The one place the worker turns DUBAN_MESSAGING into an adapter. Only `dev` exists; selectMessagingAdapter refuses
 * anything else before the worker starts. A provider's adapter is added here, beside its own configuration checks.
 */
export function openMessaging(name: MessagingAdapterName, log: MessageLog): MessagingPort {
  switch (name) {
    case 'dev':
      return new DevLogMessaging(log);
    default: {
      const unreachable: never = name;
      return unreachable;
    }
  }
}

