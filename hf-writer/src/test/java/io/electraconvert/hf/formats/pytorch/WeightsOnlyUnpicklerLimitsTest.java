package io.electraconvert.hf.formats.pytorch;

import io.electraconvert.error.BadInputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Pickles that cost a few bytes and would make a naive reader recurse, hash or allocate without bound: each is
 * refused with one line, quickly, before the structure it describes is walked.
 */
class WeightsOnlyUnpicklerLimitsTest {
    private static final Path FILE = Path.of("pytorch_model.bin");

    private static String refusal(byte[] pickle) {
        BadInputException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(BadInputException.class, () -> WeightsOnlyUnpickler.load(FILE, pickle)));
        return e.getMessage().substring(FILE.toString().length() + 2);
    }

    @Test
    void selfReferencingListAsDictKeyIsRefused() {
        // {}; l = []; l.append(l); d[l] = None  (hashing l recursed until StackOverflowError)
        PickleEmitter p = new PickleEmitter().proto2().op(PickleEmitter.EMPTY_DICT).op(PickleEmitter.EMPTY_LIST).put();
        p.op(PickleEmitter.BINGET).op(0).op(PickleEmitter.APPEND).op(PickleEmitter.NONE).op(PickleEmitter.SETITEM)
                .op(PickleEmitter.STOP);
        assertEquals("dict key is a list; only string and integer keys are read", refusal(p.toByteArray()));
    }

    @Test
    void millionDeepTupleIsRefusedAtTheDepthLimit() {
        // (((...(),)...),) a million deep, then used as a dict key (StackOverflowError when hashed)
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) PickleEmitter.PROTO, 2, PickleEmitter.EMPTY_DICT, PickleEmitter.EMPTY_TUPLE});
        for (int i = 0; i < 1_000_000; i++) {
            pickle.write(PickleEmitter.TUPLE1);
        }
        pickle.writeBytes(new byte[] {PickleEmitter.NONE, PickleEmitter.SETITEM, PickleEmitter.STOP});
        assertEquals("data.pkl nests containers more than 100 deep (a state dict needs a few)", refusal(pickle.toByteArray()));
    }

    @Test
    void millionOpenMarksAreRefused() {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.writeBytes(new byte[] {(byte) PickleEmitter.PROTO, 2});
        for (int i = 0; i < 1_000_000; i++) {
            pickle.write(PickleEmitter.MARK);
        }
        assertEquals("data.pkl opens more than 100 MARKs at once (a state dict needs a few)", refusal(pickle.toByteArray()));
    }

    @Test
    void sharedTupleGraphKeyIsRefusedWithoutHashingIt() {
        // t0 = (None,); t(i) = (t(i-1), t(i-1)) through the memo, 64 times, all appended to a list to clear the
        // stack; then {}[t64] = None: 450 bytes, and 2^64 paths for a structural hash to walk
        PickleEmitter p = new PickleEmitter().proto2().op(PickleEmitter.EMPTY_LIST).op(PickleEmitter.MARK);
        p.op(PickleEmitter.NONE).op(PickleEmitter.TUPLE1).put();
        for (int i = 1; i <= 64; i++) {
            p.op(PickleEmitter.BINGET).op(i - 1).op(PickleEmitter.BINGET).op(i - 1).op(PickleEmitter.TUPLE2).put();
        }
        p.op(PickleEmitter.APPENDS).op(PickleEmitter.EMPTY_DICT).op(PickleEmitter.BINGET).op(64);
        byte[] pickle = p.op(PickleEmitter.NONE).op(PickleEmitter.SETITEM).op(PickleEmitter.STOP).toByteArray();
        assertEquals(true, pickle.length < 500);
        assertEquals("dict key is a tuple; only string and integer keys are read", refusal(pickle));
    }

    @Test
    void repeatedListCopiesAreBoundedByThePickleSize() {
        // l = [0] * 10000 (through APPENDS), then set(l) again and again: 8 bytes per copy of 10,000 elements
        PickleEmitter p = new PickleEmitter().proto2().global("builtins", "set").op(PickleEmitter.EMPTY_LIST).put();
        p.op(PickleEmitter.MARK);
        for (int i = 0; i < 10_000; i++) {
            p.integer(0);
        }
        p.op(PickleEmitter.APPENDS);
        for (int i = 0; i < 5_000; i++) {
            p.op(PickleEmitter.BINGET).op(0).op(PickleEmitter.BINGET).op(1).op(PickleEmitter.TUPLE1).op(PickleEmitter.REDUCE);
        }
        byte[] pickle = p.op(PickleEmitter.STOP).toByteArray();
        long budget = (1 << 16) + (long) WeightsOnlyUnpickler.CELLS_PER_BYTE * pickle.length;
        assertEquals("data.pkl builds more than " + budget + " values from " + pickle.length
                + " bytes (a state dict builds about one per 3 bytes)", refusal(pickle));
    }

    @Test
    void rebuildFromTypeOnItselfIsRefused() {
        // _rebuild_from_type_v2(_rebuild_from_type_v2, Tensor, (...), None): interpreting it recursed once per level
        PickleEmitter p = new PickleEmitter().proto2().global("torch._tensor", "_rebuild_from_type_v2");
        p.op(PickleEmitter.MARK).global("torch._tensor", "_rebuild_from_type_v2").global("torch", "Tensor")
                .op(PickleEmitter.EMPTY_TUPLE).op(PickleEmitter.NONE).op(PickleEmitter.TUPLE).op(PickleEmitter.REDUCE)
                .op(PickleEmitter.STOP);
        assertEquals("_rebuild_from_type_v2 called on itself", refusal(p.toByteArray()));
    }

    @Test
    void truncatedOpcodeNamesNoJavaClass() {
        byte[] pickle = {(byte) PickleEmitter.PROTO, 2, PickleEmitter.BININT, 1, 2};
        assertEquals("data.pkl is truncated or corrupt (ends inside an opcode at byte 3)", refusal(pickle));
    }
}
