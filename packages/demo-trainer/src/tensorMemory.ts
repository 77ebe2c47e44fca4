import * as tf from '@tensorflow/tfjs';

/** tfjs' live tensors and the bytes they hold (for `registerTensorMemory` and the system channel). */
export function tensorMemory(): { numBytes: number; numTensors: number } {
  const m = tf.memory();
  return { numBytes: m.numBytes, numTensors: m.numTensors };
}
