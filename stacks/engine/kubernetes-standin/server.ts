// The generated gRPC stubs are CommonJS whose exports Node cannot detect statically, so they are
// imported whole (default import) and taken apart here.
import grpc from "@grpc/grpc-js";
import engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb.js";
import engineProto from "@pulumi/pulumi/proto/engine_pb.js";
import pluginProto from "@pulumi/pulumi/proto/plugin_pb.js";
import providerRpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import providerProto from "@pulumi/pulumi/proto/provider_pb.js";
import emptyProto from "google-protobuf/google/protobuf/empty_pb.js";
import structProto from "google-protobuf/google/protobuf/struct_pb.js";
import type { AutonamingOption, CheckFailure } from "./check.js";
import type { PropertyChange } from "./diff.js";
import type { PropertyMap } from "./properties.js";
import { StandinKubernetesProvider, type ProviderLog } from "./provider.js";

type Struct = structProto.Struct;
type Handler<Req, Res> = (request: Req) => Promise<Res> | Res;

const { DiffChanges } = providerProto.DiffResponse;
const DIFF_KIND: Record<PropertyChange["kind"], [number, number]> = {
  add: [providerProto.PropertyDiff.Kind.ADD, providerProto.PropertyDiff.Kind.ADD_REPLACE],
  delete: [providerProto.PropertyDiff.Kind.DELETE, providerProto.PropertyDiff.Kind.DELETE_REPLACE],
  update: [providerProto.PropertyDiff.Kind.UPDATE, providerProto.PropertyDiff.Kind.UPDATE_REPLACE],
};
const AUTONAMING_MODE: Record<number, AutonamingOption["mode"]> = {
  [providerProto.CheckRequest.AutonamingOptions.Mode.PROPOSE]: "propose",
  [providerProto.CheckRequest.AutonamingOptions.Mode.ENFORCE]: "enforce",
  [providerProto.CheckRequest.AutonamingOptions.Mode.DISABLE]: "disable",
};

/**
 * Starts the `pulumirpc.ResourceProvider` gRPC server on a free loopback port and returns the
 * port (the plugin prints it for the engine). Messages for the user go through the engine's log
 * service when its address is known.
 */
export async function serveProvider(
  version: string,
  engineAddress: string | undefined,
): Promise<number> {
  const provider = new StandinKubernetesProvider(version, engineLogger(engineAddress));
  const server = new grpc.Server();
  server.addService(providerRpc.ResourceProviderService, serviceFor(provider));
  return new Promise((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    );
  });
}

function serviceFor(provider: StandinKubernetesProvider): grpc.UntypedServiceImplementation {
  const unsupported = (what: string) => (): never => {
    throw new Error(
      `${what} is not supported by sitestack's offline stand-in of pulumi-resource-kubernetes`,
    );
  };
  return {
    getPluginInfo: unary(() => new pluginProto.PluginInfo().setVersion(provider.version)),
    getSchema: unary(() => new providerProto.GetSchemaResponse().setSchema("{}")),
    checkConfig: unary((req: providerProto.CheckRequest) => {
      const result = provider.checkConfig(toMap(req.getNews()));
      return checkResponse(result.inputs, result.failures);
    }),
    diffConfig: unary((req: providerProto.DiffRequest) => {
      const diff = provider.diffConfig(toMap(req.getOlds()), toMap(req.getNews()));
      return new providerProto.DiffResponse()
        .setChanges(diff.changed.length > 0 ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE)
        .setDiffsList([...diff.changed])
        .setReplacesList([...diff.replaces]);
    }),
    configure: unary((req: providerProto.ConfigureRequest) => {
      provider.configure(new Map(req.getVariablesMap().entries()));
      return new providerProto.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true);
    }),
    check: unary(async (req: providerProto.CheckRequest) => {
      const autonaming = req.getAutonaming();
      const result = await provider.check({
        type: req.getType() || typeFromUrn(req.getUrn()),
        name: req.getName() || nameFromUrn(req.getUrn()),
        olds: toMap(req.getOlds()),
        news: toMap(req.getNews()),
        randomSeed: req.getRandomseed_asU8(),
        autonaming: autonaming && {
          mode: AUTONAMING_MODE[autonaming.getMode()] ?? "propose",
          proposedName: autonaming.getProposedName(),
        },
      });
      return checkResponse(result.inputs, result.failures);
    }),
    diff: unary(async (req: providerProto.DiffRequest) => {
      const result = await provider.diff({
        type: req.getType() || typeFromUrn(req.getUrn()),
        oldInputs: toMap(req.getOldInputs()),
        oldState: toMap(req.getOlds()),
        news: toMap(req.getNews()),
        ignoreChanges: req.getIgnorechangesList(),
      });
      const response = new providerProto.DiffResponse()
        .setChanges(result.changes.length > 0 ? DiffChanges.DIFF_SOME : DiffChanges.DIFF_NONE)
        .setReplacesList([...result.replaces])
        .setDeletebeforereplace(result.deleteBeforeReplace)
        .setDiffsList([...new Set(result.changes.map((c) => c.path.split(/[.[]/)[0] ?? c.path))])
        .setHasdetaileddiff(true);
      for (const change of result.changes) {
        const kind = DIFF_KIND[change.kind][
          change.replace ? 1 : 0
        ] as providerProto.PropertyDiff.Kind;
        response
          .getDetaileddiffMap()
          .set(change.path, new providerProto.PropertyDiff().setKind(kind).setInputdiff(true));
      }
      return response;
    }),
    create: unary(async (req: providerProto.CreateRequest) => {
      const state = await provider.create({
        inputs: toMap(req.getProperties()),
        preview: req.getPreview(),
      });
      return new providerProto.CreateResponse()
        .setId(state.id)
        .setProperties(toStruct(state.outputs));
    }),
    read: unary(async (req: providerProto.ReadRequest) => {
      const state = await provider.read({
        id: req.getId(),
        state: toMap(req.getProperties()),
        inputs: toMap(req.getInputs()),
      });
      const response = new providerProto.ReadResponse();
      if (!state) return response.setId("");
      return response
        .setId(state.id)
        .setProperties(toStruct(state.outputs))
        .setInputs(toStruct(state.inputs));
    }),
    update: unary(async (req: providerProto.UpdateRequest) => {
      const state = await provider.update({
        news: toMap(req.getNews()),
        preview: req.getPreview(),
      });
      return new providerProto.UpdateResponse().setProperties(toStruct(state.outputs));
    }),
    delete: unary(async (req: providerProto.DeleteRequest) => {
      await provider.delete({
        id: req.getId(),
        state: toMap(req.getProperties()),
        timeoutSeconds: req.getTimeout(),
      });
      return new emptyProto.Empty();
    }),
    invoke: unary((req: providerProto.InvokeRequest) => unsupported(`function ${req.getTok()}`)()),
    call: unary((req: providerProto.CallRequest) => unsupported(`method ${req.getTok()}`)()),
    construct: unary((req: providerProto.ConstructRequest) =>
      unsupported(`component ${req.getType()}`)(),
    ),
    parameterize: unary(unsupported("parameterization")),
    // Nothing long-running to stop: every call ends within its own bounded wait.
    cancel: unary(() => new emptyProto.Empty()),
    attach: unary(() => new emptyProto.Empty()),
  };
}

// Adapts an async handler to grpc-js: thrown errors become an UNKNOWN status with their message,
// which the engine shows to the user.
function unary<Req, Res>(handler: Handler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (response) => callback(null, response),
        (error: unknown) =>
          callback({
            code: grpc.status.UNKNOWN,
            details: error instanceof Error ? error.message : String(error),
          }),
      );
  };
}

function checkResponse(
  inputs: PropertyMap,
  failures: readonly CheckFailure[],
): providerProto.CheckResponse {
  return new providerProto.CheckResponse()
    .setInputs(toStruct(inputs))
    .setFailuresList(
      failures.map((f) =>
        new providerProto.CheckFailure().setProperty(f.property).setReason(f.reason),
      ),
    );
}

function toMap(struct: Struct | undefined): PropertyMap {
  return (struct?.toJavaScript() ?? {}) as PropertyMap;
}

function toStruct(map: PropertyMap): Struct {
  return structProto.Struct.fromJavaScript(map);
}

// URN: urn:pulumi:<stack>::<project>::<parent$type>::<name>
function typeFromUrn(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? "";
}

function nameFromUrn(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

function engineLogger(engineAddress: string | undefined): ProviderLog {
  if (!engineAddress) {
    return (severity, message) => process.stderr.write(`${severity}: ${message}\n`);
  }
  const engine = new engineRpc.EngineClient(engineAddress, grpc.credentials.createInsecure());
  return (severity, message, urn) => {
    const request = new engineProto.LogRequest()
      .setSeverity(
        severity === "warning" ? engineProto.LogSeverity.WARNING : engineProto.LogSeverity.INFO,
      )
      .setMessage(message)
      .setUrn(urn ?? "");
    engine.log(request, (error) => {
      if (error) process.stderr.write(`${severity}: ${message}\n`);
    });
  };
}
