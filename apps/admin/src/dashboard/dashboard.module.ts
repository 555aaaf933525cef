import { Logger, Module } from '@nestjs/common';
import { DashboardAssets, defaultDashboardDir } from './dashboard-assets.js';
import { DashboardController } from './dashboard.controller.js';

/** The admin dashboard: the web page built from `web/` by `npm run build:dashboard`, served at `/`. */
@Module({
  controllers: [DashboardController],
  providers: [
    {
      provide: DashboardAssets,
      useFactory: async () => {
        const assets = await DashboardAssets.load(defaultDashboardDir());
        if (!assets.built) new Logger('Dashboard').warn('the dashboard is not built (`npm run build`): / answers 404');
        return assets;
      },
    },
  ],
})
export class DashboardModule {}
