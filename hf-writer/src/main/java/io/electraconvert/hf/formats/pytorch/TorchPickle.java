package io.electraconvert.hf.formats.pytorch;

import io.electraconvert.tensor.DType;
import java.util.List;

/**
 * The {@code data.pkl} that {@code torch.save(OrderedDict(...))} writes for a state dict of independent, C-contiguous
 * CPU tensors with {@code requires_grad=False}: each value is
 * {@code torch._utils._rebuild_tensor_v2(persistent_id(('storage', torch.XStorage, key, 'cpu', numel)), 0, size,
 * stride, False, OrderedDict())}.
 */
final class TorchPickle {
    /** CPython pickles dict items in batches of this many (SETITEMS), a lone trailing item with SETITEM. */
    private static final int BATCH_SIZE = 1000;

    /** One state-dict entry and the {@code data/<storageKey>} record holding its values. */
    record Entry(String name, DType dtype, long[] shape, String storageKey) {}

    private TorchPickle() {}

    static byte[] stateDict(List<Entry> entries) {
        PickleEmitter p = new PickleEmitter().proto2();
        p.global("collections", "OrderedDict").op(PickleEmitter.EMPTY_TUPLE).op(PickleEmitter.REDUCE).put();
        for (int start = 0; start < entries.size(); start += BATCH_SIZE) {
            List<Entry> batch = entries.subList(start, Math.min(entries.size(), start + BATCH_SIZE));
            if (batch.size() == 1) {
                tensor(p, batch.get(0));
                p.op(PickleEmitter.SETITEM);
            } else {
                p.op(PickleEmitter.MARK);
                batch.forEach(e -> tensor(p, e));
                p.op(PickleEmitter.SETITEMS);
            }
        }
        return p.op(PickleEmitter.STOP).toByteArray();
    }

    private static void tensor(PickleEmitter p, Entry e) {
        p.string(e.name());
        p.global("torch._utils", "_rebuild_tensor_v2");
        p.op(PickleEmitter.MARK);
        // persistent id: ('storage', storage_type, key, location, numel)
        p.op(PickleEmitter.MARK)
                .string("storage")
                .global("torch", e.dtype().torchStorage())
                .string(e.storageKey())
                .string("cpu")
                .integer(numel(e.shape()))
                .op(PickleEmitter.TUPLE).put();
        p.op(PickleEmitter.BINPERSID);
        p.integer(0); // storage_offset
        p.intTuple(e.shape());
        p.intTuple(contiguousStrides(e.shape()));
        p.bool(false); // requires_grad
        p.global("collections", "OrderedDict").op(PickleEmitter.EMPTY_TUPLE).op(PickleEmitter.REDUCE).put(); // backward_hooks
        p.op(PickleEmitter.TUPLE).put();
        p.op(PickleEmitter.REDUCE).put();
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** torch's contiguous strides: a dimension of size 0 counts as 1. */
    static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s = Math.multiplyExact(s, Math.max(shape[i], 1));
        }
        return strides;
    }
}
