package io.electraconvert.hf.formats.pytorch;

import io.electraconvert.hf.weights.WeightsFormat;

/** {@code pytorch_model.bin}: torch.save's zip format, loadable with {@code torch.load(weights_only=True)}. */
public final class PytorchFormat {
    public static final WeightsFormat FORMAT = new WeightsFormat("pytorch", "pytorch_model.bin, as torch.save writes it", "pytorch_model.bin",
            true, true, PytorchWriter::write, PytorchBinFile::open);

    private PytorchFormat() {}
}
