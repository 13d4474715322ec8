// multer (a dependency of @nestjs/platform-express) ships no types, and @types/multer is not installed: the little
// of it the upload reader uses, declared here.
declare module 'multer' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface Limits {
    fileSize?: number;
    files?: number;
    fields?: number;
    fieldSize?: number;
    parts?: number;
  }
  interface StorageEngine {
    readonly _storage: unique symbol;
  }
  interface Multer {
    single(field: string): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  }
  interface MulterFactory {
    (options: { storage: StorageEngine; limits?: Limits }): Multer;
    memoryStorage(): StorageEngine;
  }
  const multer: MulterFactory;
  export = multer;
}
