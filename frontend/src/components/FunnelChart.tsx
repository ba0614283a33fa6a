import { Bar, BarChart, Cell, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface FunnelStep {
  label: string;
  value: number;
}

const COLORS = ["#1864ab", "#1c7ed6", "#0c8599", "#2b8a3e"];

/** The funnel as horizontal bars (a table beside it says the same for screen readers). */
export function FunnelChart({ steps, title }: { steps: FunnelStep[]; title: string }) {
  return (
    <figure style={{ margin: 0 }} aria-label={title}>
      <div style={{ width: "100%", height: 48 * steps.length + 20 }} aria-hidden="true">
        <ResponsiveContainer>
          <BarChart data={steps} layout="vertical" margin={{ left: 8, right: 40, top: 4, bottom: 4 }}>
            <XAxis type="number" hide allowDecimals={false} />
            <YAxis type="category" dataKey="label" width={130} tickLine={false} tick={{ fontSize: 13 }} axisLine={false} />
            <Tooltip cursor={{ fill: "rgba(0,0,0,0.04)" }} />
            <Bar dataKey="value" radius={[0, 6, 6, 0]} isAnimationActive={false}>
              {steps.map((step, i) => (
                <Cell key={step.label} fill={COLORS[i % COLORS.length]} />
              ))}
              <LabelList dataKey="value" position="right" />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <tbody>
          {steps.map((step) => (
            <tr key={step.label}>
              <th scope="row">{step.label}</th>
              <td>{step.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
