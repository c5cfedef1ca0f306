import { useRef, useState } from "react";
import {
  Button,
  FieldError,
  Input,
  Label,
  Radio,
  RadioGroup,
  Text,
  TextArea,
  TextField,
} from "react-aria-components";
import { ScrollBox } from "./CopyButton";
import {
  buildTrpcRequest,
  type PreparedRequest,
  requestPreview,
  sendRequest,
  type TryResponse,
} from "./http";
import { ResponseView } from "./ResponseView";
import type { ReferenceProcedure } from "./words";

type Callable = ReferenceProcedure & { type: "query" | "mutation" };

function parseInput(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `Input: not valid JSON (${(err as Error).message})` };
  }
}

/**
 * "Try it": the input as JSON, sent as yourself (this browser's session) or with an API key
 * pasted in. The exact HTTP request is shown before it is sent; the answer after.
 */
export function TryIt({
  procedure,
  initialInput,
  origin,
}: {
  procedure: Callable;
  initialInput: unknown;
  origin: string;
}) {
  const takesInput = procedure.input !== null;
  const [text, setText] = useState(() => (takesInput ? JSON.stringify(initialInput ?? {}, null, 2) : ""));
  const [authKind, setAuthKind] = useState<"session" | "apiKey">("session");
  const [key, setKey] = useState("");
  const [response, setResponse] = useState<{ res: TryResponse; auth: "session" | "apiKey" } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const parsed = takesInput ? parseInput(text) : ({ ok: true, value: undefined } as const);
  const keyMissing = authKind === "apiKey" && key.trim() === "";
  const request: PreparedRequest | null = parsed.ok
    ? buildTrpcRequest({
        origin,
        path: procedure.path,
        type: procedure.type,
        input: parsed.value,
        auth: authKind === "apiKey" ? { kind: "apiKey", key: key.trim() } : { kind: "session" },
      })
    : null;

  const send = async () => {
    if (!request || keyMissing) return;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setSending(true);
    setFailure(null);
    try {
      setResponse({ res: await sendRequest(request, controller.signal), auth: authKind });
    } catch (err) {
      if (!controller.signal.aborted) {
        setResponse(null);
        setFailure(`No answer: ${(err as Error).message}. Check your connection and try again.`);
      }
    } finally {
      setSending(false);
    }
  };

  return (
    <div className="api-try">
      <RadioGroup
        className="api-auth"
        value={authKind}
        onChange={(v) => setAuthKind(v as "session" | "apiKey")}
        orientation="horizontal"
      >
        <Label>Send as</Label>
        <Radio value="session" className="api-radio">
          Me (this browser’s session)
        </Radio>
        <Radio value="apiKey" className="api-radio">
          An API key
        </Radio>
      </RadioGroup>
      {authKind === "apiKey" && (
        <TextField
          className="field"
          value={key}
          onChange={setKey}
          isInvalid={keyMissing}
          validationBehavior="aria"
        >
          <Label>API key</Label>
          <Input type="password" autoComplete="off" spellCheck={false} placeholder="wsk_…" />
          <Text slot="description" className="description">
            Sent as Authorization: Bearer, without your session. It is not stored.
          </Text>
          <FieldError className="field-error">API key: paste the key to send with.</FieldError>
        </TextField>
      )}
      {takesInput && (
        <TextField
          className="field"
          value={text}
          onChange={setText}
          isInvalid={!parsed.ok}
          validationBehavior="aria"
        >
          <Label>Input (JSON)</Label>
          <TextArea
            className="api-input"
            rows={Math.min(16, Math.max(4, text.split("\n").length + 1))}
            spellCheck={false}
          />
          <Text slot="description" className="description">
            Filled in with a valid example using your organization’s own ids; change it as you like.
          </Text>
          <FieldError className="field-error">{parsed.ok ? "" : parsed.message}</FieldError>
        </TextField>
      )}
      <h4 id={`api-preview-${procedure.path}`}>Request to be sent</h4>
      {request ? (
        <ScrollBox labelledBy={`api-preview-${procedure.path}`} className="api-preview">
          <code data-testid="request-preview">{requestPreview(request)}</code>
        </ScrollBox>
      ) : (
        <p className="muted">Fix the input above to see the request.</p>
      )}
      {procedure.type === "mutation" && (
        <p className="small api-caution">A mutation really changes your organization’s data when sent.</p>
      )}
      <div className="api-actions">
        <Button
          className="primary"
          onPress={() => void send()}
          isDisabled={!request || keyMissing}
          isPending={sending}
        >
          {sending ? "Sending…" : "Send request"}
        </Button>
      </div>
      {failure && (
        <p className="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      <div aria-live="polite">
        {response && (
          <p className="visually-hidden">
            Answered with status {response.res.status} in {response.res.ms} milliseconds.
          </p>
        )}
      </div>
      {response && <ResponseView response={response.res} auth={response.auth} />}
    </div>
  );
}
