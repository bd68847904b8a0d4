package io.cocoplane.gateway;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;

/** springdoc serves an OpenAPI 3.1 description of the API, without authentication. */
class OpenApiTest extends GatewayTestBase {

    @Test
    void apiDocsDescribeTheApiInOpenApi31() throws Exception {
        mvc.perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.openapi").value(org.hamcrest.Matchers.startsWith("3.1")))
                .andExpect(jsonPath("$.paths['/api/v1/workloads'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/secrets/{repository}/{type}/{tag}'].put").exists())
                .andExpect(jsonPath("$.paths['/auth/token'].get").exists())
                .andExpect(jsonPath("$.components.securitySchemes.bearer.scheme").value("bearer"));
    }
}
