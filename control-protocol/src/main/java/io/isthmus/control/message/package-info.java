/**
 * The control protocol on the wire: {@link io.isthmus.control.message.ControlProtocol} (the header and the registry
 * of types) and one flyweight per message, each encoding and decoding in place over a big-endian buffer.
 */
package io.isthmus.control.message;
