export { ProtobufWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './ProtobufWriter.js';
export { ProtoDecodeError, ProtoReader, WIRE } from './ProtoReader.js';
