import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DynamicCorsOptions } from './dynamic-cors.options.js';

// `any` key: each app picks its own (a slug, a hostname, or a richer address of its own).
export type AnyDynamicCorsOptions = DynamicCorsOptions<any>;

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: DYNAMIC_CORS_OPTIONS } = new ConfigurableModuleBuilder<AnyDynamicCorsOptions>()
  .setClassMethodName('forRoot')
  .build();
