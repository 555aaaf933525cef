import { Module } from '@nestjs/common';
import { ApiAuthGuard } from './api-auth.guard.js';
import { ApiKeyAuthenticator } from './api-key.authenticator.js';
import { AuthFailureLimiter } from './auth-failure.limiter.js';

/** Bearer authentication of the `/api/v1` routes; controllers opt in with `@UseGuards(ApiAuthGuard)`. */
@Module({
  providers: [ApiAuthGuard, ApiKeyAuthenticator, AuthFailureLimiter],
  exports: [ApiAuthGuard, ApiKeyAuthenticator, AuthFailureLimiter],
})
export class AuthModule {}
