"""The WSGI layer in front of moto's server app that makes moto's SageMaker records true.

moto (5.2) records training jobs, models, endpoint configs and endpoints, but computes
nothing. This layer sees every request before moto and every answer after it, and
changes only what it must, never moto's own classes:

- ``CreateTrainingJob``: moto records (and validates) the job; the layer then trains it
  in a background thread (see training_jobs.py), and ``DescribeTrainingJob`` /
  ``ListTrainingJobs`` answers are amended with the job's true state.
  ``StopTrainingJob`` (which moto lacks) is answered here.
- ``UpdateEndpoint`` (also missing from moto) re-records the endpoint with its new config.
- ``POST /endpoints/<name>/invocations`` (sagemaker-runtime): answered here with the
  hosted model's predictions (see endpoints.py); ``UpdateEndpoint``/``DeleteEndpoint``
  drop the endpoint's cached model.
- Every SageMaker ``Describe*`` answer loses the empty objects AWS omits
  (see describe_fix.py).
- IAM: the AWS-managed policies are there from an IAM backend's first call (see
  aws_managed_policies.py; moto would build them six times over).
- ``POST /moto-api/reset`` also forgets the layer's jobs and models.
- ``POST /local-sagemaker/hold-training`` with ``{"hold": true|false}``: the layer's
  own switch to keep training jobs in Starting (for tests that must see a job
  "InProgress" deterministically; like moto's own ``/moto-api/`` controls).
- ``POST /local-sagemaker/hold-answers``: the answers to the named operations wait
  until released, to catch a client at an exact call (see answer_holds.py).

Everything else passes through untouched (and unbuffered: S3 uploads stream to moto).

Before any of that, guard.py refuses what is not a local client's AWS-shaped request
(wrong Host, no SigV4, a control path called without JSON); every SageMaker request
must be a JSON object (else 400 SerializationException) that satisfies the API's
shapes (validation.py, else 400 ValidationException); and no SageMaker or runtime
call ends in a 500 (errors.py).
"""

from __future__ import annotations

import copy
import io
import json
import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

from . import aws_managed_policies, guard, refusals, validation
from .answer_holds import HOLD_ANSWERS_PATH, AnswerHolds, operation_of
from .answers import Reply, StartResponse, json_error, json_reply, rest_json_error
from .describe_fix import drop_unset_fields
from .endpoints import MAX_PAYLOAD_BYTES, Endpoints, payload_too_large
from .errors import (
    parse_json_object,
    serialization_error,
    unforeseen_error,
    validation_error,
    without_5xx,
)
from .inner_client import Answer, Identity, InnerClient, S3Error, WSGIApp, run, split_s3_uri
from .shapes import add_always_returned
from .training_jobs import TrainingJobs
from .transform_jobs import TransformJobs

log = logging.getLogger(__name__)

RESET_PATH = "/moto-api/reset"
HOLD_PATH = "/local-sagemaker/hold-training"
_INVOCATIONS = re.compile(r"^/endpoints/(?P<name>[^/]+)/invocations$")
_SERVICE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/(?P<service>[^/]+)/")
_PASSED_HEADERS = (
    "Content-Type",
    "Accept",
    "X-Amzn-SageMaker-Target-Variant",
)


def moto_app() -> WSGIApp:
    """moto's own server application, as ``moto.server`` serves it, without global CORS.

    moto's server answers every origin's CORS requests (flask-cors, echoing any
    ``Origin``), which lets any web page read what the server holds. Its own switch
    (``MOTO_DISABLE_GLOBAL_CORS``, read by the module that builds each service's app)
    turns that off; S3 still answers CORS from each bucket's CORS configuration, as S3 does.
    """
    from moto.moto_server import werkzeug_app
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    werkzeug_app.DISABLE_GLOBAL_CORS = True  # type: ignore[attr-defined]

    app: WSGIApp = DomainDispatcherApplication(create_backend_app)
    return app


def _read_body(environ: dict[str, Any], limit: int | None = None) -> bytes | None:
    """The request body (None if longer than ``limit``); moto can still read it after."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        if limit is not None and int(length) > limit:
            return None
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read() if limit is None else stream.read(limit + 1)
    else:
        body = b""
    if limit is not None and len(body) > limit:
        return None
    _replace_body(environ, bytes(body))
    return bytes(body)


def _replace_body(environ: dict[str, Any], body: bytes) -> None:
    """Give the request this body (what the wrapped app will read)."""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("wsgi.input_terminated", None)


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    wanted = {}
    for name in _PASSED_HEADERS:
        key = "CONTENT_TYPE" if name == "Content-Type" else "HTTP_" + name.upper().replace("-", "_")
        if environ.get(key):
            wanted[name] = str(environ[key])
    return wanted


def _service_of(environ: dict[str, Any]) -> str | None:
    """The service a request is signed for (its SigV4 credential scope), if signed."""
    scope = _SERVICE.search(str(environ.get("HTTP_AUTHORIZATION", "")))
    return None if scope is None else scope["service"]


def _relay(answer: Answer) -> Reply:
    """moto's answer, as it is."""
    return Reply(answer.status, answer.body, dict(answer.headers))


def _with_json(answer: Answer, payload: dict[str, Any]) -> Reply:
    headers = {k: v for k, v in answer.headers.items() if k.lower() != "content-length"}
    return Reply(answer.status, json.dumps(payload).encode(), headers)


class LocalSageMakerApp:
    """The layer: a WSGI app wrapping moto's, training and serving what moto records."""

    def __init__(self, inner: WSGIApp | None = None, *, load_managed_policies: bool = True) -> None:
        self._app = inner if inner is not None else moto_app()
        self._load_managed_policies = load_managed_policies
        self._client = InnerClient(self._app)
        self.training_jobs = TrainingJobs(self._client)
        self.endpoints = Endpoints(self._client)
        self.answer_holds = AnswerHolds()
        self.transform_jobs = TransformJobs(self._client)
        # One CreateTrainingJob at a time: the name check and the recording are one step.
        self._create_lock = threading.Lock()

    def reset(self) -> None:
        """Forget the layer's own state (jobs, cached models); moto's is reset by moto."""
        self.training_jobs.reset()
        self.transform_jobs.reset()
        self.endpoints.reset()
        self.answer_holds.hold([])

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop every training thread (waiting at most ``timeout``)."""
        self.training_jobs.shutdown(timeout)
        self.transform_jobs.shutdown(timeout)
        self.endpoints.reset()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        try:
            guard.check(environ)
        except guard.Refusal as refusal:
            return guard.refusal_reply(environ, refusal).send(start_response)
        if (
            environ.get("REQUEST_METHOD") == "POST"
            and environ.get("PATH_INFO") == HOLD_ANSWERS_PATH
        ):
            return self._hold_answers(environ).send(start_response)
        operation = operation_of(environ)
        if not self.answer_holds.holds(operation):
            return self._dispatch(environ, start_response)
        answer = run(self._dispatch, environ)  # carried out now; answered when released
        self.answer_holds.wait(operation)
        return _relay(answer).send(start_response)

    def _dispatch(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        if method == "POST" and path == RESET_PATH:
            self.reset()
        elif method == "POST" and path == HOLD_PATH:
            return self._hold(environ).send(start_response)
        elif method == "POST" and self._is_invocation(environ, path):
            return self._answer_invocation(environ, path).send(start_response)
        else:
            target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
            if method == "POST" and target.startswith("SageMaker."):
                operation = target.split(".", 1)[1]
                return self._answer_sagemaker(environ, operation).send(start_response)
            if self._load_managed_policies and _service_of(environ) == "iam":
                self._ensure_managed_policies(environ)
        return without_5xx(self._app, environ, start_response)

    @staticmethod
    def _ensure_managed_policies(environ: dict[str, Any]) -> None:
        """Before an IAM call: its backend knows the AWS-managed policies. Should that
        fail, moto answers the call all the same (never a 500 of the layer's making)."""
        identity = Identity.of_request(environ)
        try:
            aws_managed_policies.ensure_loaded(
                identity.access_key, identity.account, identity.region
            )
        except Exception:
            log.debug("the AWS-managed policies could not be loaded", exc_info=True)

    def _answer_sagemaker(self, environ: dict[str, Any], operation: str) -> Reply:
        """A SageMaker call: a JSON object, valid for the API, answered without a 500."""
        body = _read_body(environ) or b""
        request = parse_json_object(body)
        if request is None:
            return serialization_error(operation)
        problem = validation.problems(operation, request)
        if problem is not None:
            return validation_error(problem)
        try:
            reply = self._sagemaker(environ, operation, body, request)
        except Exception as exc:
            log.debug("SageMaker %s failed in the local server", operation, exc_info=True)
            return unforeseen_error(operation, exc)
        if reply.status >= 500:
            return unforeseen_error(operation, RuntimeError(reply.body.decode(errors="replace")))
        return reply

    def _answer_invocation(self, environ: dict[str, Any], path: str) -> Reply:
        try:
            return self._invoke(environ, path)
        except Exception as exc:
            log.debug("an invocation failed in the local server", exc_info=True)
            return rest_json_error(
                "ValidationError",
                f"The local SageMaker server could not process this invocation "
                f"({type(exc).__name__}: {exc}).",
                400,
            )

    # --- sagemaker-runtime ------------------------------------------------------------

    @staticmethod
    def _is_invocation(environ: dict[str, Any], path: str) -> bool:
        if not _INVOCATIONS.match(path):
            return False
        service = _service_of(environ)
        return service is None or service == "sagemaker"

    def _invoke(self, environ: dict[str, Any], path: str) -> Reply:
        body = _read_body(environ, MAX_PAYLOAD_BYTES)
        if body is None:
            return payload_too_large()
        match = _INVOCATIONS.match(path)
        assert match is not None
        from urllib.parse import unquote

        name = unquote(match["name"])
        return self.endpoints.invoke(name, Identity.of_request(environ), body, _headers(environ))

    # --- SageMaker control plane -------------------------------------------------------

    def _sagemaker(
        self, environ: dict[str, Any], operation: str, body: bytes, request: dict[str, Any]
    ) -> Reply:
        if operation == "CreateTrainingJob":
            return self._create_training_job(environ, body)
        if operation == "StopTrainingJob":
            return self._stop_training_job(environ, body)
        if operation == "UpdateEndpoint":
            return self._update_endpoint(environ, body)
        if operation == "StopTransformJob":
            return self._stop_transform_job(environ, body)
        identity = Identity.of_request(environ)
        refusal = refusals.refuse_before(operation, request, self._client, identity)
        if refusal is not None:
            return refusal
        answer = run(self._app, environ)
        if not answer.ok:
            return self._not_found(operation, body, answer, identity)
        if operation == "CreateEndpoint":
            # SageMaker fetches and checks the artifacts while the endpoint is Creating.
            self.endpoints.host(str(request["EndpointName"]), identity)
        status_filter = None
        if operation in ("ListTrainingJobs", "ListTransformJobs"):
            # moto filters on its own idea of the status ("Completed" at once): list
            # again without the filter (as the caller, whom moto has just let list) and
            # filter on the layer's. The caller's request itself is relayed unchanged,
            # since a changed body would no longer match its signature.
            request = json.loads(body or b"{}")
            status_filter = request.pop("StatusEquals", None)
            if status_filter is not None:
                answer = self._client.sagemaker(operation, request, Identity.of_request(environ))
                if not answer.ok:
                    return _relay(answer)
        if operation == "DeleteEndpoint":
            self.endpoints.forget(str(json.loads(body or b"{}").get("EndpointName", "")))
        if operation == "CreateTransformJob":
            arn = str(answer.json()["TransformJobArn"])
            self.transform_jobs.start(json.loads(body), arn, identity.owning(arn))
        if operation == "ListTransformJobs":
            listing = self.transform_jobs.amend_list(answer.json())
            if status_filter is not None:
                listing["TransformJobSummaries"] = [
                    summary
                    for summary in listing["TransformJobSummaries"]
                    if summary["TransformJobStatus"] == status_filter
                ]
            return _with_json(answer, listing)
        if operation == "ListTrainingJobs":
            listing = self.training_jobs.amend_list(answer.json())
            if status_filter is not None:
                listing["TrainingJobSummaries"] = [
                    summary
                    for summary in listing["TrainingJobSummaries"]
                    if summary["TrainingJobStatus"] == status_filter
                ]
            return _with_json(answer, listing)
        if operation.startswith("Describe"):
            payload = answer.json()
            if operation == "DescribeTrainingJob":
                payload = self.training_jobs.amend_describe(payload)
            if operation == "DescribeEndpoint":
                payload = self.endpoints.amend_describe(payload)
            if operation == "DescribeTransformJob":
                payload = self.transform_jobs.amend_describe(payload)
            payload = add_always_returned(operation, drop_unset_fields(operation, payload))
            return _with_json(answer, payload)
        return _relay(answer)

    def _not_found(self, operation: str, body: bytes, answer: Answer, identity: Identity) -> Reply:
        """moto's error answer, its "not found" in AWS's words (refusals.py)."""
        reworded = refusals.reword_not_found(operation, body, answer, self._client, identity)
        return reworded if reworded is not None else _relay(answer)

    def _create_training_job(self, environ: dict[str, Any], body: bytes) -> Reply:
        with self._create_lock:
            return self._create_training_job_locked(environ, body)

    def _create_training_job_locked(self, environ: dict[str, Any], body: bytes) -> Reply:
        request = json.loads(body or b"{}")
        identity = Identity.of_request(environ)
        name = str(request.get("TrainingJobName", ""))
        existing = self._client.sagemaker(
            "DescribeTrainingJob", {"TrainingJobName": name}, identity
        )
        if existing.ok:
            arn = existing.json().get("TrainingJobArn")
            return json_error(
                "ResourceInUse",
                "Training job names must be unique within an AWS account and region, and a "
                f"training job with this name already exists ({arn})",
            )
        empty = self._empty_channel(request, identity)
        if empty is not None:
            return json_error("ValidationException", empty)
        answer = run(self._app, environ)
        if not answer.ok:
            return _relay(answer)
        arn = str(answer.json()["TrainingJobArn"])
        # Where moto says the artifact is (DescribeTrainingJob's S3ModelArtifacts): the job
        # writes exactly there, so the record and the bucket agree.
        described = self._client.sagemaker(
            "DescribeTrainingJob", {"TrainingJobName": name}, identity.owning(arn)
        ).json()
        model_uri = str(described["ModelArtifacts"]["S3ModelArtifacts"])
        self.training_jobs.start(copy.deepcopy(request), arn, model_uri, identity.owning(arn))
        return _relay(answer)

    def _empty_channel(self, request: dict[str, Any], identity: Identity) -> str | None:
        """SageMaker's refusal of a job whose S3 channel holds no object, or None.

        SageMaker lists every channel's prefix when the job is created, as the job's
        role, and refuses the request (ValidationException, nothing created) when it
        finds nothing: the bucket is missing, the prefix empty, or the listing denied.
        """
        for channel in request.get("InputDataConfig") or []:
            uri = channel.get("DataSource", {}).get("S3DataSource", {}).get("S3Uri")
            if not uri:
                continue
            try:
                bucket, prefix = split_s3_uri(str(uri))
            except ValueError:
                return f"The local SageMaker server reads channels from s3:// URIs only: {uri}"
            try:
                keys = self._client.s3_list(bucket, prefix, identity)
            except S3Error:
                keys = []
            if not [key for key in keys if key[-1:] != "/"]:
                return refusals.no_s3_objects(
                    str(uri), bucket, identity.region, request.get("RoleArn")
                )
        return None

    def _stop_training_job(self, environ: dict[str, Any], body: bytes) -> Reply:
        name = str(json.loads(body or b"{}").get("TrainingJobName", ""))
        described = self._client.sagemaker(
            "DescribeTrainingJob", {"TrainingJobName": name}, Identity.of_request(environ)
        )
        if not described.ok:
            return self._not_found("StopTrainingJob", body, described, Identity.of_request(environ))
        payload = self.training_jobs.amend_describe(described.json())
        arn = str(payload["TrainingJobArn"])
        refusal = (
            self.training_jobs.stop(arn)
            if self.training_jobs.knows(arn)
            else refusals.job_not_stoppable("training", payload["TrainingJobStatus"])
        )
        if refusal is not None:
            return json_error("ValidationException", refusal)
        return json_reply({})

    def _stop_transform_job(self, environ: dict[str, Any], body: bytes) -> Reply:
        """StopTransformJob, which moto lacks (it answers 500): the job's thread stops."""
        name = str(json.loads(body or b"{}").get("TransformJobName", ""))
        identity = Identity.of_request(environ)
        described = self._client.sagemaker(
            "DescribeTransformJob", {"TransformJobName": name}, identity
        )
        if not described.ok:
            return self._not_found("StopTransformJob", body, described, identity)
        arn = str(described.json()["TransformJobArn"])
        refusal = self.transform_jobs.stop(arn) if self.transform_jobs.knows(arn) else None
        if refusal is not None:
            return json_error("ValidationException", refusal)
        return json_reply({})

    def _update_endpoint(self, environ: dict[str, Any], body: bytes) -> Reply:
        """UpdateEndpoint, which moto lacks: the endpoint is recorded anew with the new config
        (same name, so the same ARN; same tags) and its cached model is dropped."""
        request = json.loads(body or b"{}")
        name = str(request.get("EndpointName", ""))
        config = str(request.get("EndpointConfigName", ""))
        identity = Identity.of_request(environ)
        endpoint = self._client.sagemaker("DescribeEndpoint", {"EndpointName": name}, identity)
        if not endpoint.ok:
            return self._not_found("UpdateEndpoint", body, endpoint, identity)
        new_config = self._client.sagemaker(
            "DescribeEndpointConfig", {"EndpointConfigName": config}, identity
        )
        if not new_config.ok:
            return _relay(new_config)
        arn = str(endpoint.json()["EndpointArn"])
        recreate: dict[str, Any] = {"EndpointName": name, "EndpointConfigName": config}
        tags = self._client.sagemaker("ListTags", {"ResourceArn": arn}, identity)
        if tags.ok and tags.json().get("Tags"):
            recreate["Tags"] = tags.json()["Tags"]
        self._client.sagemaker("DeleteEndpoint", {"EndpointName": name}, identity)
        created = self._client.sagemaker("CreateEndpoint", recreate, identity)
        self.endpoints.forget(name)
        if not created.ok:
            return _relay(created)
        self.endpoints.host(name, identity)
        return json_reply({"EndpointArn": arn})

    # --- the layer's own control -------------------------------------------------------

    def _hold(self, environ: dict[str, Any]) -> Reply:
        try:
            hold = json.loads(_read_body(environ) or b"{}")["hold"]
        except (ValueError, KeyError, TypeError):
            return json_error("ValidationException", 'expected a JSON body {"hold": true|false}')
        if not isinstance(hold, bool):
            return json_error("ValidationException", '"hold" must be true or false')
        self.training_jobs.hold(hold)
        self.transform_jobs.hold(hold)
        return json_reply({"hold": hold})

    def _hold_answers(self, environ: dict[str, Any]) -> Reply:
        """Set the operations whose answers wait (``{"operations": [...]}``), or, with ``{}``,
        only say which answers are waiting now."""
        try:
            request = json.loads(_read_body(environ) or b"{}")
        except ValueError:
            return json_error("SerializationException", "expected a JSON body")
        operations = request.get("operations") if isinstance(request, dict) else None
        if isinstance(request, dict) and "operations" in request:
            if not isinstance(operations, list) or not all(
                isinstance(name, str) for name in operations
            ):
                return json_error("ValidationException", '"operations" must be a list of names')
            self.answer_holds.hold(operations)
        return json_reply(self.answer_holds.report())
