import { Global, Module } from '@nestjs/common';
import { AccountAuditQuery } from '@duban/read-models';
import { queryProviders } from '../ledgers/shared/read-model.providers';
import { AccountAuditController } from './accounts/account-audit.controller';
import { AccountsController } from './accounts/accounts.controller';
import { ChangePasswordController } from './change-password/change-password.controller';
import { CredentialsStore } from './credentials.store';
import { MeController } from './me/me.controller';
import { OidcController } from './oidc/oidc.controller';
import { OidcSignIn } from './oidc/oidc-sign-in';
import { RefreshController } from './refresh/refresh.controller';
import { SignInController } from './sign-in/sign-in.controller';
import { SignInService } from './sign-in.service';
import { SignOutController } from './sign-out/sign-out.controller';

/** Sign-in, sessions, accounts and single sign-on; global so that the guard can check sessions on every route. */
@Global()
@Module({
  controllers: [
    SignInController,
    RefreshController,
    SignOutController,
    ChangePasswordController,
    MeController,
    AccountsController,
    AccountAuditController,
    OidcController,
  ],
  providers: [CredentialsStore, SignInService, OidcSignIn, ...queryProviders(AccountAuditQuery)],
  exports: [CredentialsStore, SignInService],
})
export class AuthModule {}
