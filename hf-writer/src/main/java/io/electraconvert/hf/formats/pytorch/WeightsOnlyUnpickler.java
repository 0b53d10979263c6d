package io.electraconvert.hf.formats.pytorch;

import io.electraconvert.tensor.DType;
import io.electraconvert.error.BadInputException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader for {@code data.pkl} that follows torch's {@code weights_only} rules
 * ({@code torch/_weights_only_unpickler.py}): only the opcodes that unpickler implements, only allow-listed
 * globals, and persistent ids only of the form {@code ('storage', torch.XStorage, key, location, numel)}. Nothing is
 * ever instantiated or called: globals are names, and the few calls a state dict needs (tensor rebuild functions,
 * {@code OrderedDict()}, {@code torch.Size(...)}) are interpreted into plain values. Anything else fails with one line.
 */
final class WeightsOnlyUnpickler {
    /** A torch storage named by a persistent id: record {@code data/<key>}, {@code numel} elements of {@code dtype}. */
    record StorageRef(String key, DType dtype, String location, long numel) {}

    /** A tensor as {@code _rebuild_tensor_v2} would build it: a strided view of a storage. */
    record TensorRef(StorageRef storage, long storageOffset, long[] shape, long[] stride) {}

    /** A global (module, name); only allow-listed ones are ever created. */
    record Global(String module, String name) {
        String path() {
            return module + "." + name;
        }
    }

    /*
     * Containers compare by identity and are never hashed, printed or walked recursively: with memo references a
     * few hundred bytes can build a structure nested a million deep, referring to itself, or (a tuple of two
     * references to the previous one, 64 times) of 2^64 paths, which hashing or printing would never finish. Each
     * records its nesting depth as built, so an absurdly deep one is refused early.
     */

    /** A pickled tuple (immutable). */
    static final class Tuple {
        final List<Object> items;
        final int depth;

        Tuple(List<Object> items) {
            this.items = items;
            this.depth = 1 + items.stream().mapToInt(WeightsOnlyUnpickler::depth).max().orElse(0);
        }

        List<Object> items() {
            return items;
        }
    }

    /** A pickled list or set. */
    static final class PyList {
        final List<Object> items = new ArrayList<>();
        int depth = 1;
    }

    /** A dict, OrderedDict or Counter; keys are only strings and integers, whose hashing is bounded. */
    static final class Dict {
        final Map<Object, Object> items = new LinkedHashMap<>();
        int depth = 1;
    }

    /** Stand-in for Python's {@code None} (stack slots are never Java null). */
    enum None { NONE }

    private static final Set<String> REBUILD_FUNCTIONS_UNSUPPORTED = Set.of(
            "torch._utils._rebuild_qtensor", "torch._utils._rebuild_sparse_tensor",
            "torch._utils._rebuild_meta_tensor_no_storage", "torch._utils._rebuild_nested_tensor",
            "torch._utils._rebuild_wrapper_subclass", "torch._utils._rebuild_device_tensor_from_numpy",
            "torch._utils._rebuild_device_tensor_from_cpu_tensor", "torch._utils._rebuild_tensor_v3");
    private static final Set<String> ALLOWED = Set.of(
            "collections.OrderedDict", "collections.Counter",
            "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state",
            "torch._tensor._rebuild_from_type_v2",
            "torch.nn.parameter.Parameter", "torch.Tensor", "torch.Size", "torch.device",
            "torch.serialization._get_layout", "torch.UntypedStorage", "torch.storage.UntypedStorage",
            "torch.storage.TypedStorage",
            "_codecs.encode", "builtins.set", "builtins.bytearray");
    private static final Set<String> DTYPE_NAMES = Set.of("float64", "float32", "float16", "bfloat16", "int64", "int32",
            "int16", "int8", "uint8", "bool", "complex64", "complex128", "double", "float", "half", "long", "int",
            "short", "cfloat", "cdouble", "float8_e4m3fn", "float8_e5m2", "strided", "sparse_coo");
    private static final int MAX_GLOBAL_LINE = 256;
    /** Containers inside one another, and MARKs open at once; a state dict needs fewer than 10. */
    static final int MAX_DEPTH = 100;
    /** Values on the stack, every open MARK's included; a state dict's SETITEMS batch holds 2,000. */
    static final int MAX_STACK = 1 << 20;
    /** Memo entries; torch.save memoizes about 8 per tensor. */
    static final int MAX_MEMO = 1 << 22;
    /**
     * The allocation budget: values pushed, memoized or put into containers may number at most this many per byte
     * of data.pkl (plus {@link #BASE_CELLS}). A state dict needs about 0.3 and no opcode more than 2, but a call
     * that copies a list ({@code set(l)}, {@code OrderedDict(pairs)}) costs a few bytes however long the list, so
     * without the budget repeating it could allocate without bound.
     */
    static final int CELLS_PER_BYTE = 4;
    private static final long BASE_CELLS = 1 << 16;

    private final Path file;
    private final ByteBuffer in;
    private List<Object> stack = new ArrayList<>();
    private final List<List<Object>> metastack = new ArrayList<>();
    private int stackSize;
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, StorageRef> storages = new LinkedHashMap<>();
    private final long cellBudget;
    private long cells;

    private WeightsOnlyUnpickler(Path file, byte[] pickle) {
        this.file = file;
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.cellBudget = BASE_CELLS + (long) CELLS_PER_BYTE * pickle.length;
    }

    /** The unpickled top-level object of {@code data.pkl} (a {@link Dict} for a state dict). */
    static Object load(Path file, byte[] pickle) {
        WeightsOnlyUnpickler u = new WeightsOnlyUnpickler(file, pickle);
        try {
            return u.run();
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw u.fail("data.pkl is truncated or corrupt (ends inside an opcode at byte " + u.in.position() + ")");
        }
    }

    private Object run() {
        while (true) {
            if (!in.hasRemaining()) {
                throw fail("data.pkl is truncated: no STOP opcode");
            }
            int at = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case PickleEmitter.PROTO -> {
                    int proto = in.get() & 0xff;
                    if (proto < 2 || proto > 5) {
                        throw fail("unsupported pickle protocol " + proto + " in data.pkl");
                    }
                }
                case PickleEmitter.STOP -> {
                    Object result = pop();
                    if (!metastack.isEmpty()) {
                        throw fail("corrupt data.pkl: STOP inside an unclosed MARK");
                    }
                    return result;
                }
                case PickleEmitter.GLOBAL -> push(global(readLine(), readLine()));
                case PickleEmitter.NEWOBJ -> {
                    Object args = pop();
                    Object cls = pop();
                    push(newObject(cls, tuple(args, "NEWOBJ arguments")));
                }
                case PickleEmitter.REDUCE -> {
                    Object args = pop();
                    Object func = pop();
                    push(reduce(func, tuple(args, "REDUCE arguments")));
                }
                case PickleEmitter.BUILD -> {
                    pop(); // state: attributes (e.g. OrderedDict._metadata) are not part of the weights
                    Object inst = peek();
                    if (!(inst instanceof Dict) && !(inst instanceof TensorRef)) {
                        throw fail("BUILD on " + describe(inst) + " is not allowed (torch builds only Tensor, Parameter, OrderedDict)");
                    }
                }
                case PickleEmitter.APPEND -> {
                    Object item = pop();
                    append(list(peek(), "APPEND"), List.of(item));
                }
                case PickleEmitter.APPENDS -> {
                    List<Object> items = popMark();
                    append(list(peek(), "APPENDS"), items);
                }
                case PickleEmitter.SETITEM -> {
                    Object value = pop();
                    Object key = pop();
                    put(dict(peek(), "SETITEM"), key, value);
                }
                case PickleEmitter.SETITEMS -> {
                    List<Object> items = popMark();
                    if (items.size() % 2 != 0) {
                        throw fail("corrupt data.pkl: SETITEMS with an odd number of items");
                    }
                    Dict d = dict(peek(), "SETITEMS");
                    for (int i = 0; i < items.size(); i += 2) {
                        put(d, items.get(i), items.get(i + 1));
                    }
                }
                case PickleEmitter.MARK -> {
                    if (metastack.size() >= MAX_DEPTH) {
                        throw fail("data.pkl opens more than " + MAX_DEPTH + " MARKs at once (a state dict needs a few)");
                    }
                    metastack.add(stack);
                    stack = new ArrayList<>();
                }
                case PickleEmitter.TUPLE -> push(tuple(popMark()));
                case PickleEmitter.TUPLE1, PickleEmitter.TUPLE2, PickleEmitter.TUPLE3 -> {
                    int n = op - PickleEmitter.TUPLE1 + 1;
                    if (stack.size() < n) {
                        throw fail("corrupt data.pkl: TUPLE" + n + " on a stack of " + stack.size());
                    }
                    List<Object> top = stack.subList(stack.size() - n, stack.size());
                    Tuple t = tuple(top);
                    top.clear();
                    stackSize -= n;
                    push(t);
                }
                case PickleEmitter.NONE -> push(None.NONE);
                case PickleEmitter.NEWFALSE -> push(Boolean.FALSE);
                case PickleEmitter.NEWTRUE -> push(Boolean.TRUE);
                case PickleEmitter.EMPTY_TUPLE -> push(new Tuple(List.of()));
                case PickleEmitter.EMPTY_LIST, PickleEmitter.EMPTY_SET -> push(new PyList());
                case PickleEmitter.EMPTY_DICT -> push(new Dict());
                case PickleEmitter.BININT -> push((long) in.getInt());
                case PickleEmitter.BININT1 -> push((long) (in.get() & 0xff));
                case PickleEmitter.BININT2 -> push((long) (in.getShort() & 0xffff));
                case PickleEmitter.BINFLOAT -> push(in.order(ByteOrder.BIG_ENDIAN).getDouble());
                case PickleEmitter.BINUNICODE -> {
                    long length = in.order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
                    push(utf8(bytes(length), "BINUNICODE"));
                }
                case PickleEmitter.SHORT_BINSTRING -> push(utf8(bytes(in.get() & 0xff), "SHORT_BINSTRING"));
                case PickleEmitter.BINPERSID -> push(persistentLoad(pop()));
                case PickleEmitter.BINGET -> push(memoGet(in.get() & 0xff));
                case PickleEmitter.LONG_BINGET -> push(memoGet(in.getInt() & 0xFFFFFFFFL));
                case PickleEmitter.BINPUT -> memoPut(in.get() & 0xff);
                case PickleEmitter.LONG_BINPUT -> memoPut(in.getInt() & 0xFFFFFFFFL);
                case PickleEmitter.LONG1 -> {
                    byte[] le = bytes(in.get() & 0xff);
                    push(decodeLong(le));
                }
                default -> throw fail(String.format(Locale.ROOT,
                        "unsupported pickle opcode 0x%02x%s at byte %d of data.pkl (not allowed by torch's weights_only loader)",
                        op, op >= 0x20 && op < 0x7f ? " '" + (char) op + "'" : "", at));
            }
            in.order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private Global global(String module, String name) {
        String path = module + "." + name;
        if (ALLOWED.contains(path) || REBUILD_FUNCTIONS_UNSUPPORTED.contains(path)
                || module.equals("torch") && (DType.ofTorchStorage(name).isPresent() || DTYPE_NAMES.contains(name))) {
            return new Global(module, name);
        }
        throw fail("unsupported pickle global " + printable(path)
                + ": only torch tensor/storage types and collections.OrderedDict are allowed (torch weights_only rules)");
    }

    private Object newObject(Object cls, Tuple args) {
        String path = cls instanceof Global g ? g.path() : describe(cls);
        return switch (path) {
            case "torch.nn.parameter.Parameter" -> parameterData(args, path);
            case "collections.OrderedDict", "collections.Counter" -> new Dict();
            case "builtins.set" -> new PyList();
            default -> throw fail("NEWOBJ of " + printable(path) + " is not allowed (torch creates only nn.Parameter and allow-listed classes)");
        };
    }

    private Object reduce(Object func, Tuple args) {
        if (!(func instanceof Global g)) {
            throw fail("REDUCE on " + describe(func) + ", which is not an allow-listed function");
        }
        List<Object> a = args.items();
        return switch (g.path()) {
            case "collections.OrderedDict", "collections.Counter" -> {
                Dict d = new Dict();
                if (!a.isEmpty()) {
                    if (a.size() != 1 || !(a.get(0) instanceof PyList pairs)) {
                        throw fail(g.path() + " called with unexpected arguments");
                    }
                    for (Object pair : pairs.items) {
                        Tuple t = tuple(pair, g.path() + " item");
                        if (t.items().size() != 2) {
                            throw fail(g.path() + " item is not a (key, value) pair");
                        }
                        put(d, t.items().get(0), t.items().get(1));
                    }
                }
                yield d;
            }
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> rebuildTensor(g.path(), a);
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state",
                 "torch.nn.parameter.Parameter" -> parameterData(args, g.path());
            case "torch._tensor._rebuild_from_type_v2" -> {
                // (func, new_type, args, state): torch calls func(*args), then sets the type (Tensor or Parameter);
                // func is a tensor rebuild function, never this one again, so the interpretation cannot recurse
                if (a.size() != 4 || !(a.get(1) instanceof Global type)
                        || !Set.of("torch.Tensor", "torch.nn.parameter.Parameter").contains(type.path())) {
                    throw fail("_rebuild_from_type_v2 of an unsupported tensor subclass");
                }
                if (a.get(0) instanceof Global inner && inner.path().equals(g.path())) {
                    throw fail("_rebuild_from_type_v2 called on itself");
                }
                yield reduce(a.get(0), tuple(a.get(2), "_rebuild_from_type_v2 arguments"));
            }
            case "torch.Size" -> {
                if (a.size() != 1) {
                    throw fail("torch.Size called with " + a.size() + " arguments");
                }
                yield tuple(a.get(0), "torch.Size argument");
            }
            case "torch.device" -> {
                if (!a.isEmpty() && !(a.get(0) instanceof String)) {
                    throw fail("torch.device called with " + describe(a.get(0)) + ", not a string");
                }
                yield a.isEmpty() ? "cpu" : a.get(0);
            }
            case "_codecs.encode" -> {
                if (a.isEmpty() || !(a.get(0) instanceof String s)) {
                    throw fail("_codecs.encode called without a string");
                }
                yield s.getBytes(StandardCharsets.ISO_8859_1);
            }
            case "builtins.set" -> {
                PyList set = new PyList();
                if (!a.isEmpty()) {
                    append(set, list(a.get(0), "set()").items);
                }
                yield set;
            }
            case "builtins.bytearray" -> a.isEmpty() ? new byte[0] : a.get(0);
            default -> {
                if (REBUILD_FUNCTIONS_UNSUPPORTED.contains(g.path())) {
                    throw fail("unsupported tensor kind: " + g.path() + " (only dense CPU tensors are read)");
                }
                throw fail("calling " + g.path() + " is not supported in a state dict");
            }
        };
    }

    private TensorRef parameterData(Tuple args, String what) {
        if (args.items().isEmpty() || !(args.items().get(0) instanceof TensorRef t)) {
            throw fail(what + " called without a tensor");
        }
        return t;
    }

    private TensorRef rebuildTensor(String what, List<Object> a) {
        if (a.size() < 4) {
            throw fail(what + " called with " + a.size() + " arguments");
        }
        if (!(a.get(0) instanceof StorageRef storage)) {
            throw fail(what + ": first argument is " + describe(a.get(0)) + ", not a storage");
        }
        long offset = nonNegative(a.get(1), what + " storage_offset");
        long[] shape = longs(a.get(2), what + " size");
        long[] stride = longs(a.get(3), what + " stride");
        if (shape.length != stride.length) {
            throw fail(what + ": size has " + shape.length + " dimensions but stride " + stride.length);
        }
        return new TensorRef(storage, offset, shape, stride);
    }

    private StorageRef persistentLoad(Object pid) {
        if (!(pid instanceof Tuple t) || t.items().size() != 5) {
            throw fail("persistent id " + describe(pid) + " is not a ('storage', type, key, location, numel) tuple");
        }
        List<Object> p = t.items();
        Object tag = p.get(0) instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : p.get(0);
        if (!"storage".equals(tag)) {
            throw fail("only persistent_load of storage is allowed, got " + describe(p.get(0)));
        }
        if (!(p.get(1) instanceof Global type)) {
            throw fail("storage type is " + describe(p.get(1)) + ", not a torch storage class");
        }
        DType dtype;
        if (type.name().equals("UntypedStorage")) {
            dtype = DType.UINT8;
        } else {
            dtype = DType.ofTorchStorage(type.name())
                    .filter(d -> type.module().equals("torch"))
                    .orElseThrow(() -> fail("unsupported storage type " + type.path()));
        }
        if (!(p.get(2) instanceof String key) || !(p.get(3) instanceof String location)) {
            throw fail("storage key and location must be strings");
        }
        long numel = nonNegative(p.get(4), "storage numel");
        StorageRef ref = new StorageRef(key, dtype, location, numel);
        StorageRef previous = storages.putIfAbsent(key, ref);
        if (previous != null) {
            if (previous.dtype() != dtype || previous.numel() != numel) {
                throw fail("storage '" + key + "' is referenced as both " + previous.dtype().torchStorage() + "[" + previous.numel()
                        + "] and " + dtype.torchStorage() + "[" + numel + "]");
            }
            return previous;
        }
        return ref;
    }

    private void memoPut(long index) {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) {
            throw fail("data.pkl memoizes more than " + MAX_MEMO + " values");
        }
        spend(1);
        memo.put(index, peek());
    }

    private Object memoGet(long index) {
        Object v = memo.get(index);
        if (v == null) {
            throw fail("corrupt data.pkl: memo entry " + index + " read before it was written");
        }
        return v;
    }

    private String readLine() {
        int start = in.position();
        for (int i = start; i < in.limit() && i - start <= MAX_GLOBAL_LINE; i++) {
            if (in.get(i) == '\n') {
                byte[] line = new byte[i - start];
                in.get(line);
                in.get();
                return new String(line, StandardCharsets.ISO_8859_1);
            }
        }
        throw fail("corrupt data.pkl: unterminated GLOBAL name at byte " + start);
    }

    private byte[] bytes(long length) {
        if (length > in.remaining()) {
            throw fail("data.pkl is truncated: a " + length + "-byte string at byte " + in.position() + " runs past its end");
        }
        byte[] b = new byte[(int) length];
        in.get(b);
        return b;
    }

    private String utf8(byte[] b, String op) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw fail("corrupt data.pkl: " + op + " string is not valid UTF-8");
        }
    }

    private static Object decodeLong(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private long nonNegative(Object v, String what) {
        if (!(v instanceof Long l) || l < 0) {
            throw fail(what + " is " + describe(v) + ", not a non-negative integer");
        }
        return l;
    }

    private long[] longs(Object v, String what) {
        Tuple t = tuple(v, what);
        long[] out = new long[t.items().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(t.items().get(i), what);
        }
        return out;
    }

    private Tuple tuple(Object v, String what) {
        if (v instanceof Tuple t) {
            return t;
        }
        throw fail(what + " is " + describe(v) + ", not a tuple");
    }

    private PyList list(Object v, String op) {
        if (v instanceof PyList l) {
            return l;
        }
        throw fail(op + " on " + describe(v) + " (only lists are allowed)");
    }

    private Tuple tuple(List<Object> items) {
        spend(items.size());
        Tuple t = new Tuple(List.copyOf(items));
        checkDepth(t.depth);
        return t;
    }

    private void append(PyList list, List<Object> items) {
        spend(items.size());
        list.items.addAll(items);
        for (Object item : items) {
            list.depth = checkDepth(Math.max(list.depth, 1 + depth(item)));
        }
    }

    /** A state dict's keys are strings; integers are read too. Any other key (a tuple...) would need hashing. */
    private void put(Dict d, Object key, Object value) {
        if (!(key instanceof String) && !(key instanceof Long) && !(key instanceof BigInteger)) {
            throw fail("dict key is " + describe(key) + "; only string and integer keys are read");
        }
        spend(1);
        d.items.put(key, value);
        d.depth = checkDepth(Math.max(d.depth, 1 + depth(value)));
    }

    private int checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw fail("data.pkl nests containers more than " + MAX_DEPTH + " deep (a state dict needs a few)");
        }
        return depth;
    }

    private static int depth(Object v) {
        if (v instanceof Tuple t) {
            return t.depth;
        } else if (v instanceof PyList l) {
            return l.depth;
        } else if (v instanceof Dict d) {
            return d.depth;
        }
        return 0;
    }

    private void spend(long n) {
        cells += n;
        if (cells > cellBudget) {
            throw fail("data.pkl builds more than " + cellBudget + " values from " + in.limit()
                    + " bytes (a state dict builds about one per 3 bytes)");
        }
    }

    private Dict dict(Object v, String op) {
        if (v instanceof Dict d) {
            return d;
        }
        throw fail(op + " on " + describe(v) + " (only dict, OrderedDict, Counter are allowed)");
    }

    private void push(Object v) {
        if (stackSize >= MAX_STACK) {
            throw fail("data.pkl holds more than " + MAX_STACK + " values on its stack at once");
        }
        spend(1);
        stackSize++;
        stack.add(v);
    }

    private Object pop() {
        if (stack.isEmpty()) {
            throw fail("corrupt data.pkl: stack underflow at byte " + in.position());
        }
        stackSize--;
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty()) {
            throw fail("corrupt data.pkl: stack underflow at byte " + in.position());
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (metastack.isEmpty()) {
            throw fail("corrupt data.pkl: no MARK before byte " + in.position());
        }
        List<Object> items = stack;
        stack = metastack.remove(metastack.size() - 1);
        stackSize -= items.size();
        return items;
    }

    static String describe(Object v) {
        if (v instanceof Global g) {
            return g.path();
        } else if (v instanceof Tuple) {
            return "a tuple";
        } else if (v instanceof Dict) {
            return "a dict";
        } else if (v instanceof PyList) {
            return "a list";
        } else if (v instanceof String) {
            return "a string";
        } else if (v instanceof Long || v instanceof BigInteger) {
            return "an integer (" + v + ")";
        } else if (v instanceof TensorRef) {
            return "a tensor";
        } else if (v instanceof StorageRef) {
            return "a storage";
        } else if (v == None.NONE) {
            return "None";
        } else if (v instanceof Boolean) {
            return "a bool";
        } else if (v instanceof Double) {
            return "a float";
        } else if (v instanceof byte[]) {
            return "bytes";
        }
        return "a value of an unexpected kind";
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format(Locale.ROOT, "\\x%02x", (int) c));
        }
        return b.length() > 120 ? b.substring(0, 120) + "..." : b.toString();
    }

    private BadInputException fail(String message) {
        return new BadInputException(file, message);
    }
}
