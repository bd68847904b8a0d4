# Deliberately WRONG Dockerfile: DeploymentConsistencyTest.aWrongDockerfileIsRejected.
FROM eclipse-temurin:25-jre-noble
COPY target/registry-*-exec.jar /app/application.jar
# server.port is 5000
EXPOSE 5001
USER root
CMD ["java", "-jar", "/app/application.jar"]
