import { GraphQLError } from "graphql";
import { describe, expect, it } from "vitest";
import { CombinedError } from "urql";
import i18n from "../i18n";
import { errorMessage } from "./errors";

const refused = (message: string, code = "BAD_USER_INPUT") =>
  new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions: { code } })] });

describe("an API error in the broker's language", () => {
  it("says the forms' errors in Spanish when the dashboard is in Spanish, and in English in English", async () => {
    await i18n.changeLanguage("es");
    expect(errorMessage(refused("The password needs at least 8 characters."), "x")).toBe(
      "La contraseña necesita al menos 8 caracteres.",
    );
    expect(errorMessage(refused("Wrong email or password.", "UNAUTHENTICATED"), "x")).toBe("Correo o contraseña incorrectos.");
    expect(errorMessage(refused("Too many attempts: wait 15 minutes and try again.", "RATE_LIMITED"), "x")).toBe(
      "Demasiados intentos: espera 15 minutos y vuelve a intentarlo.",
    );
    expect(errorMessage(refused("'ana@' is not a valid email address: The part after the @-sign is empty."), "x")).toBe(
      "«ana@» no es un correo válido.",
    );
    expect(errorMessage(refused("The file is empty"), "x")).toBe("El archivo está vacío.");
    // One the dashboard does not know is shown as the API wrote it; a network failure, as the fallback.
    expect(errorMessage(refused("Something else."), "x")).toBe("Something else.");
    expect(errorMessage(new CombinedError({ networkError: new Error("offline") }), "Sin conexión")).toBe("Sin conexión");
    await i18n.changeLanguage("en");
    expect(errorMessage(refused("Wrong email or password.", "UNAUTHENTICATED"), "x")).toBe("Wrong email or password.");
  });
});
