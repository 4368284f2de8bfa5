export { whatsappCloudAdapter } from './whatsapp.ts';
export { messengerAdapter, instagramAdapter } from './messaging.ts';
