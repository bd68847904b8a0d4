package io.cocoplane.transparencylog.archfixture;

/** Rule fixture: a Spring-free library class that imports Spring and Kafka. Never shipped. */
public class SpringInALibrary {
    public boolean blank(String s) {
        return !org.springframework.util.StringUtils.hasText(s) && new org.apache.kafka.common.TopicPartition("t", 0) != null;
    }
}
