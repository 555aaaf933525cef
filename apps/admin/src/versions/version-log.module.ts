import { Module } from '@nestjs/common';
import { VersionRecorder } from './version-recorder.js';
import { VersionsRepository } from './versions.repository.js';

/**
 * The version log itself, imported by every feature that changes a tenant's configuration.
 * Separate from {@link VersionsModule} (the routes), which needs the features that write to it,
 * as the audit log is separate from its route.
 */
@Module({ providers: [VersionRecorder, VersionsRepository], exports: [VersionRecorder, VersionsRepository] })
export class VersionLogModule {}
