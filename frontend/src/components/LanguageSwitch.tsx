import { SegmentedControl } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { asLanguage, chooseLanguage, LANGUAGES, type Language } from "../i18n";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t("nav.language")}
      value={asLanguage(i18n.language)}
      onChange={(value) => chooseLanguage(value as Language)}
      data={LANGUAGES.map((code) => ({ value: code, label: code.toUpperCase() }))}
    />
  );
}
