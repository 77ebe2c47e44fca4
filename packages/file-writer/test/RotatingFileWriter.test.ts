import { writerBehaviour } from './writerBehaviour.js';

writerBehaviour(false);
