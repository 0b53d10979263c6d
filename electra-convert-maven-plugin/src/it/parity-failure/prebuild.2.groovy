// Tampers with the converted folder as a bad copy or a hand edit would: 0.25 added to the first value of encoder
// layer 1's output bias in model.safetensors (8-byte little-endian header length, JSON header, then the data).
import groovy.json.JsonSlurper
import java.nio.ByteBuffer
import java.nio.ByteOrder

def file = new File(basedir, 'target/model/model.safetensors')
byte[] bytes = file.bytes
def buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
int headerLength = Math.toIntExact(buffer.getLong(0))
def header = new JsonSlurper().parse(Arrays.copyOfRange(bytes, 8, 8 + headerLength))
int at = 8 + headerLength + (header['electra.encoder.layer.1.output.dense.bias'].data_offsets[0] as int)
buffer.putFloat(at, (buffer.getFloat(at) + 0.25f) as float)
file.bytes = bytes
return true
