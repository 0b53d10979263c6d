// With MAVEN_OPTS="--add-modules jdk.incubator.vector", fork=false runs the vector kernel in Maven's JVM.
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains('BUILD SUCCESS')
assert log.contains('[INFO] matmul kernel: vector (jdk.incubator.vector, Maven\'s JVM)')
def report = new JsonSlurper().parse(new File(basedir, 'target/parity.json'))
assert report.pass == true
assert report.matmul == 'vector'
return true
