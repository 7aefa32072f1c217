/**
 * Container image and registry rules shared by the components and the site-file schema
 * (`stacks/site-model`): one function per fact, so a reference `validate` accepts is one `up` accepts.
 * Each `xProblem` returns what is allowed, or `undefined`; the caller adds the field and the value.
 */

/**
 * An image repository without tag or digest: `jzbox`, `ghcr.io/juntoz/jzbox`,
 * `localhost:5000/jzbox`. A registry port must be followed by a path, which is what tells it apart
 * from a tag (`jzbox:0` is the repository `jzbox` with the tag `0`, not a repository).
 */
export const imageRepositoryPattern =
  /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?\/)?[a-z0-9]([a-z0-9._-]*[a-z0-9])?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$/;

const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;

/** The source of a whole-string pattern without its `^` and `$`, to compose others from. */
const inner = (pattern: RegExp) => pattern.source.slice(1, -1);

/**
 * The shape of a pinned image reference: a repository ({@link imageRepositoryPattern}), then a
 * tag, a digest or both. `latest` is refused on top by {@link imageReferenceProblem}.
 */
export const imageReferencePattern = new RegExp(
  `^${inner(imageRepositoryPattern)}(:${inner(tagPattern)}(@${inner(digestPattern)})?|@${inner(digestPattern)})$`,
);

/** Why `repository` is not an image repository without tag or digest, or `undefined`. */
export function imageRepositoryProblem(repository: string): string | undefined {
  return imageRepositoryPattern.test(repository)
    ? undefined
    : 'must be a lowercase image repository without a tag like "ghcr.io/juntoz/jzbox" (the tag goes in its own field)';
}

/** The parts of an image reference `repository[:tag][@digest]`. */
function splitReference(image: string): { repository: string; tag?: string; digest?: string } {
  const at = image.lastIndexOf("@");
  const digest = at === -1 ? undefined : image.slice(at + 1);
  const named = at === -1 ? image : image.slice(0, at);
  // A tag follows the last ":" after the last "/" (a ":" before it is a registry port).
  const colon = named.lastIndexOf(":");
  const tag = colon > named.lastIndexOf("/") ? named.slice(colon + 1) : undefined;
  const repository = tag === undefined ? named : named.slice(0, colon);
  return {
    repository,
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/** The tag or digest of an image reference (the digest when it has both), or `undefined`. */
export function imageVersion(image: string): string | undefined {
  const parts = splitReference(image);
  return parts.digest ?? parts.tag;
}

/**
 * Why `image` is not a pinned image reference (`taller2fiuba/users:1.4.0`,
 * `ghcr.io/x/y@sha256:…`), or `undefined`: a repository as {@link imageRepositoryProblem} wants it,
 * then a tag, a digest or both, and never the moving `latest` tag.
 */
export function imageReferenceProblem(image: string): string | undefined {
  const parts = splitReference(image);
  const rule = 'must be an image reference with a tag or digest like "taller2fiuba/users:1.4.0"';
  if (
    !imageRepositoryPattern.test(parts.repository) ||
    (parts.tag === undefined && parts.digest === undefined) ||
    (parts.tag !== undefined && !tagPattern.test(parts.tag)) ||
    (parts.digest !== undefined && !digestPattern.test(parts.digest))
  ) {
    return rule;
  }
  if (parts.tag === "latest" && parts.digest === undefined) {
    return 'must name a version, not the moving "latest" tag';
  }
  return undefined;
}

/** A registry host: a lowercase DNS name of at least two labels, optionally with a port. */
export const registryHostPattern =
  /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+(:(?<port>[0-9]{1,5}))?$/;

/**
 * Why `server` is not a registry host (`ghcr.io`, `registry.example.com:5000`), or `undefined`: a
 * lowercase DNS name of at least two labels, optionally with a port.
 */
export function registryServerProblem(server: string): string | undefined {
  const match = registryHostPattern.exec(server);
  const port = match?.groups?.port;
  if (
    match === null ||
    server.length > 253 + 6 ||
    (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535))
  ) {
    return 'must be a registry host like "ghcr.io" or "registry.example.com:5000"';
  }
  return undefined;
}
