import { Card, Text, Title } from "@mantine/core";
import type { FormEvent, ReactNode } from "react";

/**
 * One titled card of a settings-like page: a region named by its heading, an optional hint under
 * it, and a form when `onSubmit` is given. Every section of Settings and Team has this shape.
 */
export function Section({
  id,
  title,
  hint,
  onSubmit,
  children,
}: {
  id: string;
  title: string;
  hint?: ReactNode;
  onSubmit?: (event: FormEvent) => void;
  children: ReactNode;
}) {
  const form = onSubmit ? { component: "form" as const, onSubmit } : { component: "section" as const };
  return (
    <Card withBorder radius="md" id={id} aria-labelledby={`${id}-title`} {...form}>
      <Title order={2} size="h4" id={`${id}-title`} mb={hint ? 4 : "sm"}>
        {title}
      </Title>
      {hint && (
        <Text size="sm" c="dimmed" mb="sm">
          {hint}
        </Text>
      )}
      {children}
    </Card>
  );
}
