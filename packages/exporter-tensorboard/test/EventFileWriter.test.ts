import { eventFileWriterBehaviour } from './eventFileWriterBehaviour.js';

eventFileWriterBehaviour(false);
