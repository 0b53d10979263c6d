// After verifying the generator's folder as the discriminator: the folder convert wrote, and no report.
def target = new File(basedir, 'target')
assert target.list() as List == ['generator'] : "in target: ${target.list()}"
return true
