package io.electraconvert.hf.formats.pytorch;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.ReaderFuzzing;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.testsupport.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReaderFuzzing} of pytorch_model.bin: our writer's file and one torch wrote, mutated as raw bytes (mostly
 * stopped by the zip checks and CRCs) or, to reach the unpickler, with data.pkl mutated and the archive rebuilt
 * around it with correct CRCs: byte-level edits, and runs of opcodes (with small arguments) inserted.
 */
class PytorchFuzzTest {
    private static final byte[] OPCODES = {'(', 't', (byte) 0x85, (byte) 0x86, (byte) 0x87, ')', '}', ']', (byte) 0x8f,
            'R', (byte) 0x81, 'b', 'Q', 'N', (byte) 0x88, (byte) 0x89, 's', 'u', 'a', 'e', 'h', 'q', 'K', 'J', 'M'};

    @TempDir
    Path tmp;

    private record Base(byte[] file, byte[] pickle, Map<String, byte[]> records) {}

    private Base base(Path file) throws Exception {
        Map<String, byte[]> records = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            TorchZipArchive zip = TorchZipArchive.read(file, ch);
            for (TorchZipArchive.Record r : zip.records().values()) {
                records.put(r.name(), zip.readRecord(r, Long.MAX_VALUE));
            }
        }
        return new Base(Files.readAllBytes(file), records.get("data.pkl"), records);
    }

    private static byte[] rezip(Base base, byte[] pickle) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TorchZipWriter zip = new TorchZipWriter(Channels.newChannel(out), "archive");
        for (Map.Entry<String, byte[]> r : base.records().entrySet()) {
            zip.writeRecord(r.getKey(), r.getKey().equals("data.pkl") ? pickle : r.getValue());
        }
        zip.finish();
        return out.toByteArray();
    }

    private static byte[] insertOpcodes(byte[] pickle, SplittableRandom random, StringBuilder description) {
        int at = 2 + random.nextInt(Math.max(1, pickle.length - 3));
        ByteArrayOutputStream ops = new ByteArrayOutputStream();
        int n = 1 + random.nextInt(8);
        for (int k = 0; k < n; k++) {
            byte op = OPCODES[random.nextInt(OPCODES.length)];
            ops.write(op);
            switch (op) {
                case 'h', 'q', 'K' -> ops.write(random.nextInt(8));
                case 'M' -> ops.writeBytes(new byte[] {(byte) random.nextInt(4), 0});
                case 'J' -> ops.writeBytes(new byte[] {(byte) random.nextInt(256), 0, 0, (byte) (random.nextBoolean() ? 0 : 0x80)});
                default -> { }
            }
        }
        description.append(n).append(" opcodes at ").append(at);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(pickle, 0, at);
        out.writeBytes(ops.toByteArray());
        out.write(pickle, at, pickle.length - at);
        return out.toByteArray();
    }

    @Test
    void mutatedPytorchFilesFailCleanly() throws Exception {
        Path ours = tmp.resolve("ours.bin");
        PytorchWriter.write(ours, PytorchWriterTest.TENSORS, DType.FLOAT32, ProgressCounter.none());
        List<Base> bases = new ArrayList<>(List.of(base(ours), base(Fixtures.resource("/pytorch/real/pytorch_model.bin"))));
        ReaderFuzzing.run("pytorch", 0x70_2024_0e1ec7L, 4000, tmp.resolve("pytorch_model.bin"), 64, (random, d) -> {
            Base b = bases.get(random.nextInt(bases.size()));
            switch (random.nextInt(3)) {
                case 0 -> {
                    d.append("file: ");
                    return ReaderFuzzing.mutateBytes(b.file(), random, d);
                }
                case 1 -> {
                    d.append("data.pkl: ");
                    return rezip(b, ReaderFuzzing.mutateBytes(b.pickle(), random, d));
                }
                default -> {
                    d.append("data.pkl: ");
                    return rezip(b, insertOpcodes(b.pickle(), random, d));
                }
            }
        }, file -> {
            try (PytorchBinFile f = PytorchBinFile.open(file)) {
                for (PytorchBinFile.Tensor t : f.tensors().values()) {
                    if (t.dtype().isFloatingPoint()) {
                        f.readFloats(t.name());
                    } else {
                        f.readBytes(t.name());
                    }
                }
            }
        });
    }
}
