package io.electraconvert.hf.formats.pytorch;

import io.electraconvert.tensor.DType;
import io.electraconvert.hf.weights.OutputTensor;
import io.electraconvert.hf.weights.ProgressCounter;
import io.electraconvert.hf.io.SequentialFileWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a state dict as {@code torch.save} 2.x does (zip format, pickle protocol 2): records {@code data.pkl},
 * {@code .format_version}, {@code .storage_alignment}, {@code byteorder}, {@code data/0..n-1} (one storage per
 * tensor, in state-dict order), {@code version} and {@code .data/serialization_id}, all under the folder named after
 * the file (basename without extension). Each tensor's payload is pulled only when its record is written.
 */
public final class PytorchWriter {
    /** Zip-format version torch.save writes ({@code kProducedFileFormatVersion} for tensors-only archives). */
    static final String VERSION = "3\n";

    private PytorchWriter() {}

    public static void write(Path file, List<OutputTensor> tensors, DType dtype, ProgressCounter progress) throws IOException {
        String archive = archiveName(file.getFileName().toString());
        DType storageType = dtype;
        List<TorchPickle.Entry> entries = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            OutputTensor t = tensors.get(i);
            entries.add(new TorchPickle.Entry(t.name(), storageType, t.shape(), Integer.toString(i)));
        }
        byte[] pickle = TorchPickle.stateDict(entries);
        List<String> written = new ArrayList<>();
        try (SequentialFileWriter out = SequentialFileWriter.create(file)) {
            TorchZipWriter zip = new TorchZipWriter(out, archive);
            record(zip, written, "data.pkl", pickle);
            record(zip, written, ".format_version", ascii("1"));
            record(zip, written, ".storage_alignment", ascii(Integer.toString(TorchZipWriter.ALIGNMENT)));
            record(zip, written, "byteorder", ascii("little"));
            for (int i = 0; i < tensors.size(); i++) {
                OutputTensor t = tensors.get(i);
                long expected = Math.multiplyExact(t.numElements(), dtype.byteSize());
                String name = "data/" + i;
                zip.beginRecord(name, expected);
                t.payload().stream(chunk -> { // one chunk in memory at a time; endRecord checks the byte count
                    zip.write(dtype.encode(chunk));
                });
                zip.endRecord();
                written.add(name);
                progress.wrote(t.name(), expected);
            }
            record(zip, written, "version", ascii(VERSION));
            zip.writeRecord(".data/serialization_id", ascii(serializationId(written, zip.combinedCrc())));
            zip.finish();
            out.finish();
        }
    }

    /** torch's {@code basename()}: the file name without directories and without its last extension. */
    static String archiveName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String stem = dot >= 0 ? fileName.substring(0, dot) : fileName;
        if (stem.isEmpty()) {
            throw new IllegalArgumentException("cannot derive a torch archive name from file name '" + fileName + "'");
        }
        return stem;
    }

    /**
     * 40 digits like torch's: a combined hash of the record names, then the combined CRC-32 of the records. Torch
     * hashes names with {@code std::hash} over an unordered set; this uses FNV-1a in write order, so the id is
     * deterministic (torch only logs it).
     */
    static String serializationId(List<String> recordNames, long combinedCrc) {
        long names = 0;
        for (String n : recordNames) {
            long h = 0xcbf29ce484222325L;
            for (byte b : n.getBytes(StandardCharsets.UTF_8)) {
                h = (h ^ (b & 0xff)) * 0x100000001b3L;
            }
            names = TorchZipWriter.hashCombine(names, h);
        }
        return String.format(Locale.ROOT, "%20s%20s", Long.toUnsignedString(names), Long.toUnsignedString(combinedCrc))
                .replace(' ', '0');
    }

    private static void record(TorchZipWriter zip, List<String> written, String name, byte[] data) throws IOException {
        zip.writeRecord(name, data);
        written.add(name);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
