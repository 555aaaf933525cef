import { Reflector } from '@nestjs/core';

/**
 * Marks a tenant route that a tenant API key may not use although it names its own tenant:
 * changing a tenant's routing (hostnames, upstream) or deleting it is the platform's call.
 */
export const RootOnly = Reflector.createDecorator<true>({ transform: () => true });
