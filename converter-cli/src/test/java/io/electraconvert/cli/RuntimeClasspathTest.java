package io.electraconvert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.RuntimeVersion;
import org.junit.jupiter.api.Test;

/**
 * What the shaded electra-convert.jar is built from is this module's runtime class path: it must carry no
 * TensorFlow Java (tf-reader generates its own protos), and its protobuf runtime must be 4.28 or later (CVE-2024-7254
 * is fixed in 3.25.5, 4.27.5 and 4.28.2; the project was on 3.21.9).
 */
class RuntimeClasspathTest {
    @Test
    void noTensorFlowJavaAndAPatchedProtobufRuntime() throws ReflectiveOperationException {
        for (String name : new String[] {"org.tensorflow.proto.BundleEntryProto", "org.tensorflow.TensorFlow",
                "org.bytedeco.javacpp.Loader"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name), name);
        }
        // read from the loaded class: the constants themselves are compiled into this test
        int major = RuntimeVersion.class.getField("MAJOR").getInt(null);
        int minor = RuntimeVersion.class.getField("MINOR").getInt(null);
        assertEquals(4, major, "protobuf-java major version");
        assertTrue(minor >= 28, "protobuf-java 4." + minor + " is older than 4.28");
    }
}
