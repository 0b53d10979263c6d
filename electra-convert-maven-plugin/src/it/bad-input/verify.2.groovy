// After the bad maxShardSize: no model folder, and no temporary folder beside it either.
def target = new File(basedir, 'target')
assert !target.exists() || target.list().length == 0 : "left behind in target: ${target.list()}"
return true
