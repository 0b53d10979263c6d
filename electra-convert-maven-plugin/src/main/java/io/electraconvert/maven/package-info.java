/**
 * The Maven plugin: {@code electra-convert:convert} ({@link io.electraconvert.maven.ConvertMojo}) calls the
 * conversion API, {@code electra-convert:verify} ({@link io.electraconvert.maven.VerifyMojo}) the verification API.
 * What verify does is in {@link io.electraconvert.maven.VerifyRun}, free of Maven's API, so that it runs the same in
 * Maven's JVM and in the JVM it forks for the Vector API ({@link io.electraconvert.maven.VerifyFork},
 * {@link io.electraconvert.maven.ForkedVerify}).
 */
package io.electraconvert.maven;
