import * as tf from '@tensorflow/tfjs';

/** Adam whose learning rate can change between updates (tfjs optimizers take a fixed one). */
export class ScheduledAdam extends tf.AdamOptimizer {
  constructor(learningRate: number) {
    super(learningRate, 0.9, 0.999);
  }

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }
}
