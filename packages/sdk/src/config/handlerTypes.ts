/** The handler (sink) types the SDK implements. */
export type HandlerType = 'console' | 'file' | 'csv' | 'tensorboard' | 'otlp' | 'traces' | 'null';

/**
 * Every `class:` spelling a config may use, mapped to our handler type. The Python class names come
 * from the seed's `logging_config.yaml`, so a config written for Python's `logging.config.dictConfig`
 * loads unchanged.
 */
export const HANDLER_CLASS_ALIASES: Readonly<Record<string, HandlerType>> = {
  console: 'console',
  stream: 'console',
  'logging.StreamHandler': 'console',
  file: 'file',
  rotating_file: 'file',
  'logging.FileHandler': 'file',
  'logging.handlers.RotatingFileHandler': 'file',
  csv: 'csv',
  'logging.custom.CSVHandler': 'csv',
  tensorboard: 'tensorboard',
  'logging.custom.TensorBoardHandler': 'tensorboard',
  otlp: 'otlp',
  'logging.custom.OTLPHandler': 'otlp',
  traces: 'traces',
  'logging.custom.TraceFileHandler': 'traces',
  null: 'null',
  'logging.NullHandler': 'null',
};

/** Class names per handler type (for the schema's conditional parts). */
export function handlerClassesOf(type: HandlerType): string[] {
  return Object.entries(HANDLER_CLASS_ALIASES)
    .filter(([, t]) => t === type)
    .map(([name]) => name);
}
