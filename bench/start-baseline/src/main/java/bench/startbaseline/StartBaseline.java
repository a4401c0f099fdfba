package bench.startbaseline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Nothing but Spring Boot with the service's starters: what any such application pays to start. */
@SpringBootApplication
public class StartBaseline {

  public static void main(String[] args) {
    SpringApplication.run(StartBaseline.class, args);
  }
}
