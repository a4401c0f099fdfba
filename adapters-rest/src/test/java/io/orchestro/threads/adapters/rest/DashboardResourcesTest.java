package io.orchestro.threads.adapters.rest;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The dashboard's files are served from {@code /} next to the API, and the API's own answers for
 * unknown paths stay problems. (The dashboard's behaviour is tested in a browser, in bootstrap.)
 */
@EveryControllerSlice
class DashboardResourcesTest {

  @Autowired private MockMvc mvc;

  @Test
  void theRootIsTheDashboard() throws Exception {
    mvc.perform(get("/").accept(MediaType.TEXT_HTML))
        .andExpect(status().isOk())
        .andExpect(forwardedUrl("index.html"));
    mvc.perform(get("/index.html"))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
        .andExpect(content().string(containsString("<script type=\"module\" src=\"js/app.js\">")));
  }

  @ParameterizedTest
  @CsvSource({
    "/js/app.js, text/javascript",
    "/js/api.js, text/javascript",
    "/js/schedule-page.js, text/javascript",
    "/js/event-types.js, text/javascript",
    "/css/dashboard.css, text/css",
    "/favicon.svg, image/svg+xml"
  })
  void itsFilesAreServedWithTheirTypes(String path, String type) throws Exception {
    mvc.perform(get(path))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(type));
  }

  @Test
  void unknownPathsAreStillProblems() throws Exception {
    mvc.perform(get("/api/no-such-thing"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(404));
    mvc.perform(get("/js/no-such-module.js"))
        .andExpect(status().isNotFound())
        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
  }
}
