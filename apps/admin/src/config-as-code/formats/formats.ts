import type { ExportFormat, ImportFormat } from '../document/config-model.js';
import type { FormatReader, FormatWriter } from './config-format.js';
import { readCorsmesh, writeCorsmesh } from './corsmesh.format.js';
import { readExpress } from './express.format.js';
import { readKong, writeKong } from './kong.format.js';
import { readS3, writeS3 } from './s3.format.js';

/** The reader of each import format. */
export const FORMAT_READERS: Record<ImportFormat, FormatReader> = {
  corsmesh: readCorsmesh,
  kong: readKong,
  s3: readS3,
  express: readExpress,
};

/** The writer of each export format. */
export const FORMAT_WRITERS: Record<ExportFormat, FormatWriter> = {
  corsmesh: writeCorsmesh,
  kong: writeKong,
  s3: writeS3,
};
