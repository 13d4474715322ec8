import { Global, Module } from '@nestjs/common';
import { DirectoryRepository } from './directory.repository';

@Global()
@Module({ providers: [DirectoryRepository], exports: [DirectoryRepository] })
export class DirectoryModule {}
