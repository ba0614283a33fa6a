import { Button, Group, SimpleGrid, Stack, Switch, Textarea, TextInput } from "@mantine/core";
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "urql";
import { Section } from "../../components/Section";
import { graphql } from "../../gql";
import type { SettingsQuery } from "../../gql/graphql";
import { useNotify } from "../../lib/notify";

const UpdateProfile = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      id
      name
      phone
      signature
      morningDigest
    }
  }
`);

type Me = SettingsQuery["me"];

/** Each person's own settings: the name and signature the AI uses for their leads, the mobile
 * their task notices are texted to, the morning digest. */
export function Profile({ me }: { me: Me }) {
  const { t } = useTranslation();
  const notify = useNotify();
  const [values, setValues] = useState({ name: me.name, phone: me.phone ?? "", signature: me.signature });
  const [state, update] = useMutation(UpdateProfile);
  useEffect(() => setValues({ name: me.name, phone: me.phone ?? "", signature: me.signature }), [me]);
  // The value is read while the event is dispatched (currentTarget is null by the time an updater runs).
  const set = (field: keyof typeof values) => (event: { currentTarget: { value: string } }) => {
    const { value } = event.currentTarget;
    setValues((v) => ({ ...v, [field]: value }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    notify(await update({ input: { name: values.name.trim(), phone: values.phone.trim(), signature: values.signature } }), t("settings.saved"));
  }

  return (
    <Section id="profile" title={t("settings.profileTitle")} hint={t("settings.profileHint")} onSubmit={submit}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t("settings.yourName")}
            required
            autoComplete="name"
            value={values.name}
            onChange={set("name")}
          />
          <TextInput
            label={t("settings.phone")}
            description={t("settings.phoneHint")}
            type="tel"
            autoComplete="tel"
            value={values.phone}
            onChange={set("phone")}
          />
        </SimpleGrid>
        <Textarea
          label={t("settings.yourSignature")}
          description={t("settings.yourSignatureHint")}
          autosize
          minRows={2}
          value={values.signature}
          onChange={set("signature")}
        />
        <Switch
          label={t("settings.morningDigest")}
          description={t("settings.morningDigestHint")}
          checked={me.morningDigest}
          disabled={state.fetching}
          onChange={async (e) => notify(await update({ input: { morningDigest: e.currentTarget.checked } }), t("settings.saved"))}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={state.fetching} disabled={!values.name.trim()}>
            {t("common.save")}
          </Button>
        </Group>
      </Stack>
    </Section>
  );
}
