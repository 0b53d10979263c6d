// The build failed on the tampered value: the first tensor computed from it (encoder layer 1's output), named in
// the BUILD FAILURE reason from a MojoFailureException; the report says the same.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def reasons = (log =~ /(?m)^\[ERROR\] Failed to execute goal io\.electraconvert:electra-convert-maven-plugin:[^:]+:verify \(verify\) on project parity-failure: (.*) -> \[Help 1\]$/)
        .collect { it[1] }
assert reasons.size() == 1
assert reasons[0] ==~ /safetensors weights: first diverging tensor is hidden_states\[2\] \(encoder layer 1\) on input \S+ .*: max abs diff [0-9.e+-]+, max rel diff [0-9.e+-]+ > tolerance 1e-05 \(cosine [0-9.]+\)/
assert log.contains('[Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException')
assert log.contains('config: 10 of 10 values of the checkpoint agree with config.json')
assert !(log =~ /(?m)^\s+at [\w.$]+\(/) : 'a stack trace in the build log'

def report = new JsonSlurper().parse(new File(basedir, 'target/parity.json'))
assert report.pass == false
assert report.failure == reasons[0]
assert report.formats*.format == ['safetensors']
def divergence = report.formats[0].first_divergence
assert divergence.tensor == 'hidden_states[2]'
assert divergence.max_abs_diff > 0.01
assert report.formats[0].summary.find { it.tensor == 'hidden_states[1]' }.pass == true
return true
