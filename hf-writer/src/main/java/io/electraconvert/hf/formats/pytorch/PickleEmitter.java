package io.electraconvert.hf.formats.pytorch;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes pickle protocol 2 opcodes the way CPython's {@code _pickle.Pickler} does for the objects {@code torch.save}
 * pickles, restricted to the opcodes torch's {@code weights_only} unpickler accepts. Globals and strings are
 * memoized (BINPUT on first use, BINGET afterwards) as CPython does; callers memoize tuples and reduce results with
 * {@link #put()}.
 */
final class PickleEmitter {
    static final int PROTO = 0x80;
    static final int STOP = '.';
    static final int MARK = '(';
    static final int TUPLE = 't';
    static final int TUPLE1 = 0x85;
    static final int TUPLE2 = 0x86;
    static final int TUPLE3 = 0x87;
    static final int EMPTY_TUPLE = ')';
    static final int EMPTY_DICT = '}';
    static final int EMPTY_LIST = ']';
    static final int EMPTY_SET = 0x8f;
    static final int GLOBAL = 'c';
    static final int REDUCE = 'R';
    static final int NEWOBJ = 0x81;
    static final int BUILD = 'b';
    static final int BINPERSID = 'Q';
    static final int BINUNICODE = 'X';
    static final int SHORT_BINSTRING = 'U';
    static final int BININT = 'J';
    static final int BININT1 = 'K';
    static final int BININT2 = 'M';
    static final int LONG1 = 0x8a;
    static final int BINFLOAT = 'G';
    static final int NONE = 'N';
    static final int NEWTRUE = 0x88;
    static final int NEWFALSE = 0x89;
    static final int SETITEM = 's';
    static final int SETITEMS = 'u';
    static final int APPEND = 'a';
    static final int APPENDS = 'e';
    static final int BINPUT = 'q';
    static final int LONG_BINPUT = 'r';
    static final int BINGET = 'h';
    static final int LONG_BINGET = 'j';

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> memo = new HashMap<>();
    private int nextMemo;

    PickleEmitter proto2() {
        out.write(PROTO);
        out.write(2);
        return this;
    }

    PickleEmitter op(int opcode) {
        out.write(opcode);
        return this;
    }

    /** {@code GLOBAL 'module name'}, memoized. */
    PickleEmitter global(String module, String name) {
        String key = "g:" + module + "\n" + name;
        if (!get(key)) {
            out.write(GLOBAL);
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            memoize(key);
        }
        return this;
    }

    /** {@code BINUNICODE}, memoized by value. */
    PickleEmitter string(String value) {
        String key = "s:" + value;
        if (!get(key)) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.write(BINUNICODE);
            writeLe32(utf8.length);
            out.writeBytes(utf8);
            memoize(key);
        }
        return this;
    }

    /** An int as CPython's {@code save_long} writes it at protocol 2. */
    PickleEmitter integer(long value) {
        if (value >= 0 && value <= 0xff) {
            out.write(BININT1);
            out.write((int) value);
        } else if (value >= 0 && value <= 0xffff) {
            out.write(BININT2);
            out.write((int) value & 0xff);
            out.write((int) (value >>> 8) & 0xff);
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            out.write(BININT);
            writeLe32((int) value);
        } else {
            // LONG1: minimal two's-complement little-endian bytes
            byte[] be = BigInteger.valueOf(value).toByteArray();
            out.write(LONG1);
            out.write(be.length);
            for (int i = be.length - 1; i >= 0; i--) {
                out.write(be[i]);
            }
        }
        return this;
    }

    PickleEmitter bool(boolean value) {
        out.write(value ? NEWTRUE : NEWFALSE);
        return this;
    }

    /** A tuple of ints as CPython writes it: EMPTY_TUPLE, TUPLE1-3 or MARK ... TUPLE, then memoized (not when empty). */
    PickleEmitter intTuple(long[] values) {
        if (values.length == 0) {
            out.write(EMPTY_TUPLE);
            return this;
        }
        if (values.length > 3) {
            out.write(MARK);
        }
        for (long v : values) {
            integer(v);
        }
        out.write(switch (values.length) {
            case 1 -> TUPLE1;
            case 2 -> TUPLE2;
            case 3 -> TUPLE3;
            default -> TUPLE;
        });
        return put();
    }

    /** Memoizes the object on top of the stack (an unshared tuple, dict or reduce result). */
    PickleEmitter put() {
        writePut(nextMemo++);
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private boolean get(String key) {
        Integer index = memo.get(key);
        if (index == null) {
            return false;
        }
        if (index < 256) {
            out.write(BINGET);
            out.write(index);
        } else {
            out.write(LONG_BINGET);
            writeLe32(index);
        }
        return true;
    }

    private void memoize(String key) {
        memo.put(key, nextMemo);
        writePut(nextMemo++);
    }

    private void writePut(int index) {
        if (index < 256) {
            out.write(BINPUT);
            out.write(index);
        } else {
            out.write(LONG_BINPUT);
            writeLe32(index);
        }
    }

    private void writeLe32(int v) {
        out.write(v & 0xff);
        out.write((v >>> 8) & 0xff);
        out.write((v >>> 16) & 0xff);
        out.write((v >>> 24) & 0xff);
    }
}
