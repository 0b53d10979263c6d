package io.electraconvert.hf.electra;

import io.electraconvert.hf.schema.HeadKind;
import java.util.Locale;

/** The two networks an ELECTRA pretraining checkpoint holds, with the HF class each becomes. */
public enum ElectraNetwork {
    /** Replaced-token detection; towers under {@code electra/}, head {@code discriminator_predictions/}. */
    DISCRIMINATOR("electra/", "discriminator_predictions/", HeadKind.PRETRAINING),
    /** Masked LM; tower under {@code generator/}, head {@code generator_predictions/}. */
    GENERATOR("generator/", "generator_predictions/", HeadKind.MASKED_LM);

    private final String towerScope;
    private final String headScope;
    private final HeadKind head;

    ElectraNetwork(String towerScope, String headScope, HeadKind head) {
        this.towerScope = towerScope;
        this.headScope = headScope;
        this.head = head;
    }

    /** TF variable scope of this network's transformer ({@code electra/} or {@code generator/}). */
    public String towerScope() {
        return towerScope;
    }

    public String headScope() {
        return headScope;
    }

    public HeadKind head() {
        return head;
    }

    public String hfArchitecture() {
        return head.architecture();
    }

    public ElectraNetwork other() {
        return this == DISCRIMINATOR ? GENERATOR : DISCRIMINATOR;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The {@link #cliName()}: how messages, help texts and shell completion spell a network. */
    @Override
    public String toString() {
        return cliName();
    }

    public static ElectraNetwork parse(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
