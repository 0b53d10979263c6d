// The conversion wrote what was asked (three formats, sharded, tokenizer files), the second build replaced it, and
// both verify runs passed in both builds, each naming the kernel it ran, with their reports.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.count('BUILD SUCCESS') == 2
assert log.count("[INFO] replaced the previous model's config.json, model-00001-of-00004.safetensors") == 1
assert !log.contains('Writing group') : "jHDF's INFO lines reached the build log"

def model = new File(basedir, 'target/model')
assert (model.list() as List).sort() == ['config.json', 'model-00001-of-00004.safetensors',
        'model-00002-of-00004.safetensors', 'model-00003-of-00004.safetensors', 'model-00004-of-00004.safetensors',
        'model.safetensors.index.json', 'pytorch_model-00001-of-00004.bin', 'pytorch_model-00002-of-00004.bin',
        'pytorch_model-00003-of-00004.bin', 'pytorch_model-00004-of-00004.bin', 'pytorch_model.bin.index.json',
        'special_tokens_map.json', 'tf_model.h5', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']
assert new File(model, 'model-00001-of-00004.safetensors').length() <= 40 * 1024

assert log.contains('[INFO] matmul kernel: vector (jdk.incubator.vector, forked JVM)')
assert log.contains('[INFO] matmul kernel: scalar (jdk.incubator.vector is not in Maven\'s JVM; fork=true, or '
        + 'MAVEN_OPTS="--add-modules jdk.incubator.vector", runs the vector kernel)')
assert log.count('[INFO] PASS: the converted model matches the checkpoint in every format checked') == 4

def slurper = new JsonSlurper()
def forked = slurper.parse(new File(basedir, 'target/parity-forked.json'))
assert forked.pass == true && forked.failure == null
assert forked.kind == 'verify_report' && forked.tool == 'electra-convert' && forked.tool_version ==~ /\d+\.\d+\.\d+\S*/
assert forked.network == 'discriminator'
assert forked.matmul == 'vector'
assert forked.strict == true
assert forked.formats*.format == ['safetensors', 'pytorch', 'tf']
assert forked.formats.every { it.pass && it.tolerance == 1e-5 }
assert forked.inputs*.name.any { it.startsWith('text[') && it.contains('"the quick brown fox"') }

def inMaven = slurper.parse(new File(basedir, 'target/parity-in-maven.json'))
assert inMaven.pass == true
assert inMaven.matmul == 'scalar'
assert inMaven.formats*.format == ['safetensors']
return true
