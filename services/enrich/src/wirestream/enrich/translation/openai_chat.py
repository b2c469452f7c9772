"""Any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, llama.cpp).

One request per fragment, all in flight together; the system prompt asks for
the translation alone with every HTML tag and attribute unchanged, and
:func:`..htmltext.tag_outline` later checks that it was.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence

import httpx
import pycountry

from .backend import TranslationError, post_json

SYSTEM_PROMPT = (
    "You are a professional news translator. Translate the HTML fragment the user sends "
    "from {source} to {target}. Keep every HTML tag and attribute exactly as it is, in the "
    "same order; translate only the text between tags. Keep names, numbers and quotations "
    "faithful; do not summarise, add or omit anything. Answer with the translated fragment "
    "only, without explanations or code fences."
)
_FENCE = re.compile(r"^```[a-zA-Z]*\n(.*)\n```$", re.S)


def language_name(code: str) -> str:
    found = pycountry.languages.get(alpha_2=code)
    return f"{found.name} ({code})" if found else code


class OpenAIChat:
    def __init__(self, url: str, *, model: str, api_key: str | None = None,
                 timeout: float = 60.0, client: httpx.AsyncClient | None = None) -> None:
        base = url.rstrip("/")
        self.url = base + ("/chat/completions" if base.endswith("/v1") else
                           "/v1/chat/completions")
        self.model = model
        self.engine = f"openai:{model}"
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.client = client or httpx.AsyncClient(timeout=timeout)

    def unavailable(self) -> str | None:
        return None

    async def translate(self, fragments: Sequence[str], *, source: str,
                        target: str) -> list[str]:
        prompt = SYSTEM_PROMPT.format(source=language_name(source), target=language_name(target))
        return list(await asyncio.gather(*(self._one(prompt, f) for f in fragments)))

    async def _one(self, prompt: str, fragment: str) -> str:
        body: dict[str, object] = {
            "model": self.model, "temperature": 0,
            "messages": [{"role": "system", "content": prompt},
                         {"role": "user", "content": fragment}],
        }
        data = await post_json(self.client, self.url, body, engine=self.engine,
                               headers=self.headers)
        try:
            content = data["choices"][0]["message"]["content"]  # type: ignore[index]
        except (KeyError, IndexError, TypeError) as exc:
            raise TranslationError(f"{self.engine}: unexpected answer {str(data)[:200]}") from exc
        if not isinstance(content, str) or not content.strip():
            raise TranslationError(f"{self.engine}: empty translation")
        text = content.strip()
        fenced = _FENCE.match(text)
        return fenced.group(1).strip() if fenced else text

    async def aclose(self) -> None:
        await self.client.aclose()
