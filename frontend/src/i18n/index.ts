import i18n from "i18next";
import { useEffect } from "react";
import { initReactI18next } from "react-i18next";
import { en } from "./en";
import { es } from "./es";

export const LANGUAGES = ["es", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const CHOSEN_KEY = "brscale.lang";

/** The language the broker picked on this device, if any: it wins over the brokerage's. */
export function chosenLanguage(): Language | null {
  const value = localStorage.getItem(CHOSEN_KEY);
  return value === "es" || value === "en" ? value : null;
}

export function asLanguage(value: string | null | undefined): Language {
  return value?.toLowerCase().startsWith("en") ? "en" : "es";
}

function apply(language: Language) {
  document.documentElement.lang = language;
  void i18n.changeLanguage(language);
}

/** The broker switches language: remembered on this device. */
export function chooseLanguage(language: Language) {
  localStorage.setItem(CHOSEN_KEY, language);
  apply(language);
}

/** The brokerage's language is the default once signed in, unless the broker chose one here. */
export function useBrokerageLanguage(language: string | null | undefined) {
  useEffect(() => {
    if (language && !chosenLanguage() && i18n.language !== asLanguage(language)) {
      apply(asLanguage(language));
    }
  }, [language]);
}

void i18n.use(initReactI18next).init({
  resources: { es: { translation: es }, en: { translation: en } },
  lng: chosenLanguage() ?? "es",
  fallbackLng: "es",
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18n.language;

export default i18n;
