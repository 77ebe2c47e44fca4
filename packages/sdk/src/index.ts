export { ConfigError } from './config/ConfigError.js';
export { type LoadConfigOptions, loadConfigFile, parseConfig } from './config/loadConfig.js';
export type {
  ChannelConfig,
  ConsoleHandlerConfig,
  CsvHandlerConfig,
  FileHandlerConfig,
  FormatterConfig,
  HandlerConfig,
  MetricsConfig,
  NullHandlerConfig,
  OtlpConfig,
  OtlpHandlerConfig,
  ResolvedConfig,
  ResourceConfig,
  TensorBoardHandlerConfig,
} from './config/ResolvedConfig.js';
export { LEVEL_NUMBERS, type LevelName } from './levels.js';
