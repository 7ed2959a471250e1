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

Hosting, as SageMaker hosts: the artifact of every variant is fetched and checked
(archive.py) when the endpoint is created or updated (``host``), not at the first
invocation. A bad one leaves the endpoint ``Failed`` with SageMaker's FailureReason
("Failed to extract model data archive for container ..."), and invoking it answers
as for an endpoint that is not InService. A good one is served from what the
endpoint was created with, so it keeps serving after its model and endpoint config
are deleted, as on AWS. Boosters are held in a bounded cache (``MAX_HOSTED_MODELS``,
least recently used out); an evicted one is loaded again from its artifact.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import xgboost as xgb

from . import archive, inference_formats
from . import container_versions as versions
from . import xgboost_algorithm as algorithm
from .answers import Reply, rest_json_error
from .inner_client import Identity, InnerClient, S3Error, split_s3_uri

MAX_PAYLOAD_BYTES = 6 * 1024 * 1024
# Boosters kept in memory at once (the tutorial's is ~1 MB loaded); more endpoints than
# this still serve, loading their model again when it has been evicted.
MAX_HOSTED_MODELS = 8
_VARIANT_HEADER = "x-Amzn-Invoked-Production-Variant"


@dataclass(frozen=True)
class _Artifact:
    """A variant's model: where its archive is, and the container version of its image
    (which decides the reply's format, inference_formats.py)."""

    url: str
    version: str


@dataclass(frozen=True)
class _Hosted:
    """What an endpoint was created with: its config, its variants' artifacts, its fate."""

    name: str
    config_name: str
    # variant name -> its model's artifact and image version, in the config's order
    variants: dict[str, _Artifact]
    identity: Identity
    failure_reason: str | None = None


class _NotFound(Exception):
    pass


class _HostingFailure(Exception):
    """Why an endpoint ends Failed, in SageMaker's words."""


def payload_too_large() -> Reply:
    """SageMaker's answer to an invocation body over the limit."""
    return rest_json_error(None, f"HTTP content length exceeded {MAX_PAYLOAD_BYTES} bytes.", 413)


def image_version(container: dict[str, Any]) -> str:
    """The XGBoost version of a model container's image (the newest for an image the
    server does not know, which it serves as today's container would)."""
    try:
        return algorithm.container_version(str(container.get("Image", "")))
    except algorithm.ClientError:
        return versions.SUPPORTED_VERSIONS[-1]


class Endpoints:
    """Invocations of the endpoints moto records, hosted when they are created."""

    def __init__(self, inner: InnerClient) -> None:
        self._inner = inner
        self._lock = threading.Lock()
        self._hosted: dict[str, _Hosted] = {}
        self._boosters: OrderedDict[tuple[str, str], xgb.Booster] = OrderedDict()

    def forget(self, endpoint_name: str) -> None:
        """Drop what every endpoint with this name hosts (updated or deleted)."""
        suffix = f":endpoint/{endpoint_name.lower()}"
        with self._lock:
            for arn in [arn for arn in self._hosted if arn.lower().endswith(suffix)]:
                del self._hosted[arn]
            for key in [key for key in self._boosters if key[0].lower().endswith(suffix)]:
                del self._boosters[key]

    def reset(self) -> None:
        with self._lock:
            self._hosted.clear()
            self._boosters.clear()

    # --- hosting ------------------------------------------------------------------------

    def host(self, endpoint_name: str, identity: Identity) -> None:
        """Fetch and check the artifacts of an endpoint moto has just recorded."""
        endpoint = self._describe("DescribeEndpoint", {"EndpointName": endpoint_name}, identity)
        if endpoint is None:
            return
        try:
            self._host(endpoint, identity)
        except _NotFound as missing:
            hosted = _Hosted(
                str(endpoint["EndpointName"]),
                str(endpoint["EndpointConfigName"]),
                {},
                identity,
                str(missing),
            )
            with self._lock:
                self._hosted[str(endpoint["EndpointArn"])] = hosted

    def _host(self, endpoint: dict[str, Any], identity: Identity) -> _Hosted:
        arn = str(endpoint["EndpointArn"])
        name = str(endpoint["EndpointName"])
        config_name = str(endpoint["EndpointConfigName"])
        config = self._describe(
            "DescribeEndpointConfig", {"EndpointConfigName": config_name}, identity
        )
        if config is None:
            raise _NotFound(f"Endpoint config {config_name} not found.")
        variants: dict[str, _Artifact] = {}
        failure = None
        for variant in config.get("ProductionVariants") or []:
            model_name = str(variant.get("ModelName"))
            model = self._describe("DescribeModel", {"ModelName": model_name}, identity)
            if model is None:
                raise _NotFound(f"Model {model_name} not found.")
            container = model.get("PrimaryContainer") or (model.get("Containers") or [{}])[0]
            url = str(container.get("ModelDataUrl", ""))
            variant_name = str(variant.get("VariantName"))
            variants[variant_name] = _Artifact(url, image_version(container))
            try:
                booster = self._load(url, identity)
            except _HostingFailure as exc:
                failure = failure or str(exc)
                continue
            self._keep((arn, variant_name), booster)
        hosted = _Hosted(name, config_name, variants, identity, failure)
        with self._lock:
            self._hosted[arn] = hosted
        return hosted

    def _load(self, url: str, identity: Identity) -> xgb.Booster:
        download = (
            f'Failed to download model data for container "container_1" from URL: "{url}". '
            "Please ensure that there is an object located at the URL and that the role "
            "passed to CreateModel has permissions to download the object."
        )
        extract = (
            f'Failed to extract model data archive for container "container_1" from URL "{url}". '
            "Please ensure that the object located at the URL is a valid tar.gz archive"
        )
        try:
            bucket, key = split_s3_uri(url)
            size = self._inner.s3_size(bucket, key, identity)
            if size > archive.MAX_ARCHIVE_BYTES:
                raise archive.ArchiveError(
                    f"it is {size} bytes, over the {archive.MAX_ARCHIVE_BYTES} accepted"
                )
            data = self._inner.s3_get(bucket, key, identity)
        except (S3Error, ValueError):
            raise _HostingFailure(download) from None
        except archive.ArchiveError as exc:
            raise _HostingFailure(f"{extract} ({exc}).") from None
        try:
            return algorithm.load_model_artifact(data)
        except archive.ArchiveError as exc:
            raise _HostingFailure(f"{extract} ({exc}).") from None
        except xgb.core.XGBoostError as exc:
            text = str(exc).split("\nStack trace:")[0]
            raise _HostingFailure(
                "The primary container for production variant AllTraffic did not pass the "
                "ping health check. Please check CloudWatch logs for this endpoint. (The model "
                f"file could not be loaded by XGBoost: {text})"
            ) from None

    def _keep(self, key: tuple[str, str], booster: xgb.Booster) -> None:
        with self._lock:
            self._boosters[key] = booster
            self._boosters.move_to_end(key)
            while len(self._boosters) > MAX_HOSTED_MODELS:
                self._boosters.popitem(last=False)

    def amend_describe(self, answer: dict[str, Any]) -> dict[str, Any]:
        """moto's DescribeEndpoint answer, Failed (with the reason) if hosting failed."""
        with self._lock:
            hosted = self._hosted.get(str(answer.get("EndpointArn")))
        if hosted is None or hosted.failure_reason is None:
            return answer
        return {**answer, "EndpointStatus": "Failed", "FailureReason": hosted.failure_reason}

    # --- invocations ----------------------------------------------------------------------

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
            return self._not_found(name, identity)
        target = headers.get("X-Amzn-SageMaker-Target-Variant")
        try:
            with self._lock:
                hosted = self._hosted.get(str(endpoint["EndpointArn"]))
            if hosted is None:
                hosted = self._host(endpoint, identity)
            if hosted.failure_reason is not None:
                # SageMaker's answer for an endpoint that is not InService.
                return self._not_found(name, identity)
            variant = next((v for v in hosted.variants if target in (None, v)), None)
            if variant is None:
                raise _NotFound(f"The variant {target} is not present in endpoint {name}.")
            booster = self._booster(str(endpoint["EndpointArn"]), variant, hosted)
        except _NotFound as missing:
            return rest_json_error("ValidationError", str(missing), 400)
        except _HostingFailure as failure:
            error = algorithm.InferenceError(500, f"Unable to load model: {failure}")
            return self._model_error(name, identity, error)
        try:
            answer, content_type = inference_formats.invoke(
                booster,
                body,
                headers.get("Content-Type"),
                headers.get("Accept"),
                hosted.variants[variant].version,
            )
        except algorithm.InferenceError as error:
            return self._model_error(name, identity, error)
        return Reply(200, answer, {"Content-Type": content_type, _VARIANT_HEADER: variant})

    def _not_found(self, name: str, identity: Identity) -> Reply:
        account = self._inner.account_id(identity)
        return rest_json_error(
            "ValidationError", f"Endpoint {name} of account {account} not found.", 400
        )

    def _booster(self, arn: str, variant: str, hosted: _Hosted) -> xgb.Booster:
        """The variant's booster: from the cache, or loaded again from its artifact."""
        key = (arn, variant)
        with self._lock:
            booster = self._boosters.get(key)
            if booster is not None:
                self._boosters.move_to_end(key)
                return booster
        booster = self._load(hosted.variants[variant].url, hosted.identity)
        self._keep(key, booster)
        return booster

    def _describe(
        self, operation: str, payload: dict[str, str], identity: Identity
    ) -> dict[str, Any] | None:
        answer = self._inner.sagemaker(operation, payload, identity)
        return answer.json() if answer.ok else None

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
