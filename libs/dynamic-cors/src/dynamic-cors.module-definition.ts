import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DynamicCorsOptions } from './dynamic-cors.options.js';

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: DYNAMIC_CORS_OPTIONS } =
  new ConfigurableModuleBuilder<DynamicCorsOptions>().setClassMethodName('forRoot').build();
