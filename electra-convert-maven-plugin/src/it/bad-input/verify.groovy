// Each build failed with its one line as Maven's BUILD FAILURE reason, from a MojoFailureException (the user's
// mistake, not the plugin's), without a stack trace.
def log = new File(basedir, 'build.log').text

def reasons = (log =~ /(?m)^\[ERROR\] Failed to execute goal io\.electraconvert:electra-convert-maven-plugin:[^:]+:(\w+) \((\w+)\) on project bad-input: (.*) -> \[Help 1\]$/)
        .collect { [it[1], it[3]] }
// testdata: the repository's fixtures, a script variable the invoker passes in
assert reasons == [
        ['convert', "${testdata}/checkpoints/small/hparams.json: vocab file has no [PAD] token".toString()],
        ['convert', "parameter 'maxShardSize': invalid size '40KIBI' (expected an integer and a unit, as transformers reads them: 200MB, 5GB, 512MiB, 2GiB; or a number of bytes)"],
        ['verify', ("${new File(basedir, 'target/generator/config.json')}: architectures names ElectraForMaskedLM, "
                + "but the checkpoint's discriminator is an ElectraForPreTraining").toString()],
]
assert log.count('BUILD FAILURE') == 3
assert log.count('[Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException') == 3
assert !(log =~ /(?m)^\s+at [\w.$]+\(/) : 'a stack trace in the build log'
return true
