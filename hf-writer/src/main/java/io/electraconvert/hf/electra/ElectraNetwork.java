package io.electraconvert.hf.electra;

import java.util.Locale;

/** The two networks an ELECTRA pretraining checkpoint holds, with the HF class each becomes. */
public enum ElectraNetwork {
    /** Replaced-token detection; towers under {@code electra/}, head {@code discriminator_predictions/}. */
    DISCRIMINATOR("electra/", "discriminator_predictions/", "ElectraForPreTraining"),
    /** Masked LM; tower under {@code generator/}, head {@code generator_predictions/}. */
    GENERATOR("generator/", "generator_predictions/", "ElectraForMaskedLM");

    private final String towerScope;
    private final String headScope;
    private final String hfArchitecture;

    ElectraNetwork(String towerScope, String headScope, String hfArchitecture) {
        this.towerScope = towerScope;
        this.headScope = headScope;
        this.hfArchitecture = hfArchitecture;
    }

    /** TF variable scope of this network's transformer ({@code electra/} or {@code generator/}). */
    public String towerScope() {
        return towerScope;
    }

    public String headScope() {
        return headScope;
    }

    public String hfArchitecture() {
        return hfArchitecture;
    }

    public ElectraNetwork other() {
        return this == DISCRIMINATOR ? GENERATOR : DISCRIMINATOR;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ElectraNetwork parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
