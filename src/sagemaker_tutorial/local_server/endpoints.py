"""sagemaker-runtime InvokeEndpoint answered by the model the endpoint really hosts.

moto's runtime answers canned bytes. Here an invocation is resolved through moto's
own records (endpoint -> endpoint config -> production variant -> model ->
ModelDataUrl), the model.tar.gz is loaded from moto's S3 once per endpoint and
kept (until the endpoint is updated or deleted, or its config changes), and the
answer is what the XGBoost container answers, wrapped as SageMaker wraps it.

Errors, as AWS gives them:

- unknown endpoint: 400 ValidationError "Endpoint <name> of account <acct> not found."
- the container answers 4xx/5xx: 424 ModelError "Received client error (415) from
  primary with message "<container's text>". See https://<region>.console.aws.amazon.com
  /cloudwatch/home?region=<region>#logEventViewer:group=/aws/sagemaker/Endpoints/<name>
  in account <acct> for more information." (format as quoted from real endpoints in
  sagemaker-python-sdk issue 2955 and a public test calling SageMaker), with
  OriginalStatusCode, OriginalMessage and LogStreamArn, the ModelError shape's members.
- a body over 6 MB (6291456 bytes, the InvokeEndpoint limit): 413 with no error code,
  "HTTP content length exceeded 6291456 bytes." (the text of sagemaker-python-sdk
  issue 171, reported in the 5 MB days as "... exceeded 5246976 bytes.").
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import xgboost as xgb

from . import inference_formats
from . import xgboost_algorithm as algorithm
from .answers import Reply, rest_json_error
from .inner_client import Identity, InnerClient, S3Error, split_s3_uri

MAX_PAYLOAD_BYTES = 6 * 1024 * 1024
_VARIANT_HEADER = "x-Amzn-Invoked-Production-Variant"


@dataclass(frozen=True)
class _Hosted:
    """What an endpoint serves: which config, variant and artifact, and the booster."""

    config_name: str
    variant: str
    model_data_url: str
    booster: xgb.Booster
    # The container version of the model's image: it decides the reply's format.
    version: str


class _NotFound(Exception):
    pass


def payload_too_large() -> Reply:
    """SageMaker's answer to an invocation body over the limit."""
    return rest_json_error(None, f"HTTP content length exceeded {MAX_PAYLOAD_BYTES} bytes.", 413)


def image_version(container: dict[str, Any]) -> str:
    """The XGBoost version of a model container's image (the newest for an image the
    server does not know, which it serves as today's container would)."""
    try:
        return algorithm.container_version(str(container.get("Image", "")))
    except algorithm.ClientError:
        return algorithm.SUPPORTED_VERSIONS[-1]


class Endpoints:
    """Invocations of the endpoints moto records, with a booster cache per endpoint."""

    def __init__(self, inner: InnerClient) -> None:
        self._inner = inner
        self._lock = threading.Lock()
        self._hosted: dict[str, _Hosted] = {}

    def forget(self, endpoint_name: str) -> None:
        """Drop the cached model of every endpoint with this name (updated or deleted)."""
        suffix = f":endpoint/{endpoint_name.lower()}"
        with self._lock:
            for arn in [arn for arn in self._hosted if arn.lower().endswith(suffix)]:
                del self._hosted[arn]

    def reset(self) -> None:
        with self._lock:
            self._hosted.clear()

    def invoke(
        self,
        name: str,
        identity: Identity,
        body: bytes,
        headers: Mapping[str, str],
    ) -> Reply:
        """Answer ``POST /endpoints/<name>/invocations``."""
        endpoint = self._describe("DescribeEndpoint", {"EndpointName": name}, identity)
        if endpoint is None:
            account = self._inner.account_id(identity)
            return rest_json_error(
                "ValidationError", f"Endpoint {name} of account {account} not found.", 400
            )
        try:
            hosted = self._hosted_model(
                endpoint, headers.get("X-Amzn-SageMaker-Target-Variant"), identity
            )
        except _NotFound as missing:
            return rest_json_error("ValidationError", str(missing), 400)
        except (S3Error, ValueError, OSError, xgb.core.XGBoostError) as exc:
            error = algorithm.InferenceError(500, f"Unable to load model: {exc}")
            return self._model_error(name, identity, error)
        try:
            answer, content_type = inference_formats.invoke(
                hosted.booster,
                body,
                headers.get("Content-Type"),
                headers.get("Accept"),
                hosted.version,
            )
        except algorithm.InferenceError as error:
            return self._model_error(name, identity, error)
        return Reply(200, answer, {"Content-Type": content_type, _VARIANT_HEADER: hosted.variant})

    def _describe(
        self, operation: str, payload: dict[str, str], identity: Identity
    ) -> dict[str, Any] | None:
        answer = self._inner.sagemaker(operation, payload, identity)
        return answer.json() if answer.ok else None

    def _hosted_model(
        self, endpoint: dict[str, Any], target_variant: str | None, identity: Identity
    ) -> _Hosted:
        arn = str(endpoint["EndpointArn"])
        config_name = str(endpoint["EndpointConfigName"])
        with self._lock:
            hosted = self._hosted.get(arn)
        if (
            hosted is not None
            and hosted.config_name == config_name
            and target_variant in (None, hosted.variant)
        ):
            return hosted
        config = self._describe(
            "DescribeEndpointConfig", {"EndpointConfigName": config_name}, identity
        )
        if config is None:
            raise _NotFound(f"Endpoint config {config_name} not found.")
        variants = config.get("ProductionVariants") or []
        chosen = [v for v in variants if target_variant in (None, v.get("VariantName"))]
        if not chosen:
            raise _NotFound(
                f"The variant {target_variant} is not present in endpoint "
                f"{endpoint['EndpointName']}."
            )
        variant = chosen[0]
        model = self._describe("DescribeModel", {"ModelName": str(variant["ModelName"])}, identity)
        if model is None:
            raise _NotFound(f"Model {variant['ModelName']} not found.")
        container = model.get("PrimaryContainer") or (model.get("Containers") or [{}])[0]
        url = str(container.get("ModelDataUrl", ""))
        bucket, key = split_s3_uri(url)
        booster = algorithm.load_model_artifact(self._inner.s3_get(bucket, key, identity))
        hosted = _Hosted(
            config_name, str(variant["VariantName"]), url, booster, image_version(container)
        )
        if target_variant is None:
            with self._lock:
                self._hosted[arn] = hosted
        return hosted

    def _model_error(self, name: str, identity: Identity, error: algorithm.InferenceError) -> Reply:
        account = self._inner.account_id(identity)
        region = identity.region
        kind = "client" if error.status < 500 else "server"
        message = (
            f"Received {kind} error ({error.status}) from primary with message "
            f'"{error.message}". See https://{region}.console.aws.amazon.com/cloudwatch/home'
            f"?region={region}#logEventViewer:group=/aws/sagemaker/Endpoints/{name} "
            f"in account {account} for more information."
        )
        extra = {
            "OriginalStatusCode": error.status,
            "OriginalMessage": error.message,
            "LogStreamArn": (
                f"arn:aws:logs:{region}:{account}:log-group:/aws/sagemaker/Endpoints/{name}"
            ),
        }
        return rest_json_error("ModelError", message, 424, extra)
